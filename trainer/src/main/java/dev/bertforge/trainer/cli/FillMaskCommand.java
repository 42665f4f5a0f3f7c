package dev.bertforge.trainer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** {@code ./bertforge fill-mask --model=DIR --text="..." [--topK=5] [--json]}. */
public final class FillMaskCommand {

  static final String HELP = String.join("\n",
      "Usage: ./bertforge fill-mask --model=DIR --text=\"... [MASK] ...\" [--topK=5] [--json]",
      "",
      "Top-k predictions for every [MASK] in the text, from an export (DIR/tokenizer.json) or a checkpoint",
      "(DIR/tokenizer/tokenizer.json).",
      "  --model=DIR   the model directory (required)",
      "  --text=TEXT   the text, with one or more [MASK] tokens (required)",
      "  --topK=N      predictions per mask (default 5)",
      "  --json        print [{\"position\": i, \"predictions\": [{\"token\": t, \"id\": n, \"score\": p}, ...]}, ...]",
      "                (position = index of the mask in the encoded ids, [CLS] = 0; score = softmax probability)");

  private FillMaskCommand() {}

  public static void main(String[] args) {
    CliArgs.run(args, HELP, () -> {
      CliArgs options = CliArgs.parse(args, List.of("model", "text", "topK", "json"));
      Path model = options.requiredPath("model");
      String text = options.required("text");
      int topK = options.integer("topK", 5);
      if (topK < 1) {
        throw new CliArgs.UsageException("--topK must be at least 1");
      }
      boolean json = options.flag("json");
      try (FillMask fillMask = FillMask.open(model)) {
        List<FillMask.MaskPredictions> predictions = fillMask.predict(text, topK);
        System.out.println(json ? toJson(predictions) : toTable(predictions));
      }
    });
  }

  static String toJson(List<FillMask.MaskPredictions> predictions) throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    ArrayNode root = mapper.createArrayNode();
    for (FillMask.MaskPredictions mask : predictions) {
      ObjectNode entry = root.addObject();
      entry.put("position", mask.position());
      ArrayNode list = entry.putArray("predictions");
      for (FillMask.Candidate c : mask.predictions()) {
        list.addObject().put("token", c.token()).put("id", c.id()).put("score", c.score());
      }
    }
    return mapper.writeValueAsString(root);
  }

  /** The token with line breaks and tabs written as escapes, so that each prediction stays on its line. */
  static String printable(String token) {
    return token.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
  }

  public static String toTable(List<FillMask.MaskPredictions> predictions) {
    StringBuilder out = new StringBuilder();
    for (FillMask.MaskPredictions mask : predictions) {
      out.append(String.format(Locale.ROOT, "[MASK] at position %d%n", mask.position()));
      int rank = 1;
      for (FillMask.Candidate c : mask.predictions()) {
        out.append(String.format(Locale.ROOT, "  %2d. %-24s %8.4f  (id %d)%n", rank++, "'" + printable(c.token()) + "'",
            c.score(), c.id()));
      }
    }
    return out.toString().stripTrailing();
  }
}
