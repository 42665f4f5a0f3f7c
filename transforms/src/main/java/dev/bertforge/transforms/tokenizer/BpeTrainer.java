package dev.bertforge.transforms.tokenizer;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Byte-level BPE training that gives exactly Hugging Face's {@code BpeTrainer} result for the same word counts: the
 * same merges in the same order, hence the same vocabulary.
 *
 * <p>It follows HF's {@code do_train} step for step (see {@code shared/reference/bpe-tokenizer.md} §1.3): pair
 * counts are kept up to date incrementally from the changes each merge makes; a max-heap ordered by count, then by
 * the smaller (id_a, id_b), picks the next pair, with lazy re-insertion of entries whose count went stale; each heap
 * entry carries the words it applies to, as HF's does, so that even HF's corner cases (a merge that yields an
 * existing token) come out the same. Counts are 64-bit, where HF's pair counts are 32-bit and wrap past 2^31.
 *
 * <p>Ids here are the model's without special tokens: the 256 byte characters in code-point order, then merged
 * tokens in creation order. HF puts specials before them; shifting every id by the same amount changes no
 * tie-break, so the merges are the same wherever the specials go.
 */
public final class BpeTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(BpeTrainer.class);
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final int vocabSize;
  private final long minFrequency;

  /**
   * @param vocabSize the number of tokens to reach: the 256 byte characters plus merged tokens (special tokens not
   *     counted here)
   * @param minFrequency a pair must occur at least this often to be merged; training stops at the first that does not
   */
  public BpeTrainer(int vocabSize, long minFrequency) {
    if (vocabSize < ByteLevel.ALPHABET_SIZE) {
      throw new IllegalArgumentException(
          "vocab size " + vocabSize + " is below the " + ByteLevel.ALPHABET_SIZE + " byte characters");
    }
    this.vocabSize = vocabSize;
    this.minFrequency = minFrequency;
  }

  /** A pair waiting to be merged: its count when queued and the words it was seen in (HF's {@code Merge}). */
  private static final class Candidate {
    long count;
    final long pair;
    final int[] words;

    Candidate(long count, long pair, int[] words) {
      this.count = count;
      this.pair = pair;
      this.words = words;
    }
  }

  /** Higher count first; on equal counts the smaller (a, b) first. */
  private static int byPriority(Candidate x, Candidate y) {
    int c = Long.compare(y.count, x.count);
    return c != 0 ? c : Long.compare(x.pair, y.pair);
  }

  /** Trains on {@code words}, which it merges in place. */
  public BpeModel train(Words words) {
    long started = System.nanoTime();
    long startedCpu = THREADS.getCurrentThreadCpuTime();
    List<String> tokens = new ArrayList<>(vocabSize);
    Map<String, Integer> idOf = new HashMap<>(vocabSize * 2);
    for (int i = 0; i < ByteLevel.ALPHABET_SIZE; i++) {
      String s = String.valueOf(ByteLevel.alphabetChar(i));
      tokens.add(s);
      idOf.put(s, i);
    }

    PairMap pairCounts = new PairMap(1 << 16);
    PriorityQueue<Candidate> queue = new PriorityQueue<>(BpeTrainer::byPriority);
    countPairs(words, pairCounts, queue);
    LOG.info("BPE: {} words, {} distinct pairs counted in {} ms; merging up to {} tokens",
        words.size(), pairCounts.size(), (System.nanoTime() - started) / 1_000_000, vocabSize);

    List<Long> merges = new ArrayList<>();
    Progress progress = new Progress(vocabSize - ByteLevel.ALPHABET_SIZE);
    while (tokens.size() < vocabSize) {
      Candidate top = queue.poll();
      if (top == null) {
        break;
      }
      long current = pairCounts.get(top.pair);
      if (top.count != current) {
        top.count = current;
        queue.add(top);
        continue;
      }
      if (top.count < 1 || minFrequency > top.count) {
        break;
      }
      int a = PairMap.first(top.pair);
      int b = PairMap.second(top.pair);
      String merged = tokens.get(a) + tokens.get(b);
      Integer existing = idOf.get(merged);
      int mergedId;
      if (existing != null) {
        mergedId = existing; // HF reuses the id and still records the merge
      } else {
        mergedId = tokens.size();
        tokens.add(merged);
        idOf.put(merged, mergedId);
      }
      merges.add(top.pair);
      applyMerge(words, top.words, a, b, mergedId, pairCounts, queue);
      progress.update(merges.size(), tokens.size() - ByteLevel.ALPHABET_SIZE);
    }
    LOG.info("BPE: {} merges, {} tokens in {} s ({} s of CPU: the rest was waiting for a core)", merges.size(),
        tokens.size(), String.format("%.1f", (System.nanoTime() - started) / 1e9),
        String.format("%.1f", (THREADS.getCurrentThreadCpuTime() - startedCpu) / 1e9));
    return new BpeModel(tokens, merges.stream().mapToLong(Long::longValue).toArray());
  }

  /** HF's {@code count_pairs}: every adjacent pair, weighted by word count, with the words it occurs in. */
  private static void countPairs(Words words, PairMap pairCounts, PriorityQueue<Candidate> queue) {
    PairMap listOf = new PairMap(1 << 16);
    List<IntList> wordsOf = new ArrayList<>();
    for (int w = 0; w < words.size(); w++) {
      long count = words.count(w);
      for (int i = 0; i + 1 < words.length(w); i++) {
        long pair = PairMap.key(words.symbol(w, i), words.symbol(w, i + 1));
        pairCounts.add(pair, count);
        long list = listOf.get(pair);
        if (list == 0) {
          wordsOf.add(new IntList(4));
          list = listOf.add(pair, wordsOf.size());
        }
        wordsOf.get((int) list - 1).addIfNotLast(w);
      }
    }
    listOf.forEach((pair, list) -> queue.add(new Candidate(pairCounts.get(pair), pair, wordsOf.get((int) list - 1).toArray())));
  }

  /** Merges (a, b) in the given words, updates the pair counts and queues the pairs the merge created. */
  private static void applyMerge(
      Words words, int[] where, int a, int b, int mergedId, PairMap pairCounts, PriorityQueue<Candidate> queue) {
    MergeChanges changes = new MergeChanges(pairCounts);
    for (int w : where) {
      changes.word = w;
      changes.count = words.count(w);
      words.merge(w, a, b, mergedId, changes);
    }
    for (int i = 0; i < changes.freshPairs.size(); i++) {
      long pair = changes.freshPairs.get(i);
      long count = pairCounts.get(pair);
      if (count > 0) {
        queue.add(new Candidate(count, pair, changes.freshWords.get(i).toArray()));
      }
    }
  }

  /**
   * Applies one merge's pair changes to the counts and collects, per pair that gained occurrences, the words where
   * it did (HF's {@code where_to_update}), in first-seen order.
   */
  private static final class MergeChanges implements Words.PairChange {
    private final PairMap pairCounts;
    private final PairMap freshIndex = new PairMap(64);
    final LongList freshPairs = new LongList();
    final List<IntList> freshWords = new ArrayList<>();
    int word;
    long count;

    MergeChanges(PairMap pairCounts) {
      this.pairCounts = pairCounts;
    }

    @Override
    public void change(int x, int y, int delta) {
      long pair = PairMap.key(x, y);
      pairCounts.add(pair, delta * count);
      if (delta > 0) {
        long index = freshIndex.get(pair);
        if (index == 0) {
          freshPairs.add(pair);
          freshWords.add(new IntList(4));
          index = freshIndex.add(pair, freshPairs.size());
        }
        freshWords.get((int) index - 1).addIfNotLast(word);
      }
    }
  }

  /** Logs merges per second and the time left, every few seconds. */
  private static final class Progress {
    private final int target;
    private final long start = System.nanoTime();
    private long lastLog = start;

    Progress(int target) {
      this.target = target;
    }

    void update(int merges, int created) {
      long now = System.nanoTime();
      if (now - lastLog < 10_000_000_000L) {
        return;
      }
      lastLog = now;
      double seconds = (now - start) / 1e9;
      double rate = created / seconds;
      LOG.info("BPE: {} merges ({}/{} tokens), {}/s, about {} s left", merges, created, target,
          String.format("%.0f", rate), String.format("%.0f", (target - created) / Math.max(rate, 1e-9)));
    }
  }
}
