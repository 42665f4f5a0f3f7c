package dev.bertforge.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Options of {@code ./bertforge dedup}: exact + MinHash-LSH near-duplicate removal. */
public interface DedupOptions extends DocumentInputOptions, DocumentOutputOptions {

  @Description("Tokens per shingle (word n-gram). Documents with fewer tokens have one shingle of all of them.")
  @Default.Integer(5)
  int getNgramSize();

  void setNgramSize(int value);

  @Description("MinHash signature components (permutations).")
  @Default.Integer(256)
  int getNumPerm();

  void setNumPerm(int value);

  @Description("Jaccard similarity at or above which two documents are near-duplicates.")
  @Default.Double(0.7)
  double getThreshold();

  void setThreshold(double value);

  @Description(
      "LSH bands; with --rows, overrides the bands x rows that minimise false positives + false negatives for "
          + "--threshold and --numPerm (datasketch's method; 25 x 10 for 0.7 and 256).")
  Integer getBands();

  void setBands(Integer value);

  @Description("Signature components per LSH band; goes with --bands.")
  Integer getRows();

  void setRows(Integer value);

  @Description(
      "How LSH candidates are confirmed: signature (estimated Jaccard >= threshold; default), exact (Jaccard of "
          + "the shingle sets; slower, shuffles the texts again) or none (every candidate is a duplicate; fastest, "
          + "least precise).")
  @Default.Enum("SIGNATURE")
  Verification getVerify();

  void setVerify(Verification value);

  @Description("Seed of the MinHash permutations.")
  @Default.Long(42)
  long getSeed();

  void setSeed(long value);

  @Description(
      "Unrolled large-star/small-star rounds of the distributed connected components; what is left unconverged "
          + "after them (long chains) is finished exactly on one worker.")
  @Default.Integer(6)
  int getCcRounds();

  void setCcRounds(int value);
}
