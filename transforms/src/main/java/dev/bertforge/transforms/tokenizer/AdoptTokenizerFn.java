package dev.bertforge.transforms.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bertforge.transforms.io.BadInputException;
import dev.bertforge.transforms.io.Document;
import java.io.IOException;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.PCollectionView;

/** {@code --baseTokenizer}: adopts an existing tokenizer.json instead of training, and writes it with its report. */
final class AdoptTokenizerFn extends DoFn<String, String> {
  private final String directory;
  private final PCollectionView<Iterable<Document>> heldOut;

  AdoptTokenizerFn(String directory, PCollectionView<Iterable<Document>> heldOut) {
    this.directory = directory;
    this.heldOut = heldOut;
  }

  @ProcessElement
  public void process(ProcessContext c) throws IOException {
    String base = c.element();
    ObjectNode tokenizer = read(base);
    List<String> changes = TokenizerJson.adopt(tokenizer);
    ObjectNode report = JsonNodeFactory.instance.objectNode();
    report.put("mode", "adopted");
    report.put("base_tokenizer", base);
    changes.forEach(report.putArray("changes")::add);
    report.putObject("timings_seconds");
    TokenizerReport.write(directory, tokenizer, report, c.sideInput(heldOut));
    c.output(directory);
  }

  /** The tokenizer.json at {@code base} (the file, or a directory holding it); a one-line error when it is not one. */
  static ObjectNode read(String base) {
    try {
      ObjectNode tokenizer = (ObjectNode) new ObjectMapper().readTree(TokenizerLocation.read(base));
      TokenizerJson.adopt(tokenizer.deepCopy()); // fails now, not after the corpus was read, if it cannot be adopted
      return tokenizer;
    } catch (IOException | ClassCastException | IllegalArgumentException e) {
      throw new BadInputException("--baseTokenizer=" + base + ": not a usable tokenizer.json: " + e.getMessage(), e);
    }
  }
}
