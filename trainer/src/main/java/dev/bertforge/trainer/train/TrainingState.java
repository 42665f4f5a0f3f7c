package dev.bertforge.trainer.train;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.bertforge.trainer.data.DataPosition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code trainer_state.json} of a checkpoint: where the stage stands (step, tokens, data position), the
 * optimizer's step count, and what the weights were trained on. With the weights and the optimizer
 * moments it is all a resumed run needs; the random state is a function of (seed, step), so it is not
 * stored separately.
 *
 * @param tokenizerSha256 the shards' tokenizer; a later stage or evaluation must use the same one
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrainingState(
    @JsonProperty("stage") String stage,
    @JsonProperty("step") long step,
    @JsonProperty("tokens") long tokens,
    @JsonProperty("data_position") DataPosition dataPosition,
    @JsonProperty("seed") long seed,
    @JsonProperty("optimizer") String optimizer,
    @JsonProperty("optimizer_steps") long optimizerSteps,
    @JsonProperty("lr") double lr,
    @JsonProperty("max_lr") double maxLr,
    @JsonProperty("loss") double loss,
    @JsonProperty("tokenizer_sha256") String tokenizerSha256,
    @JsonProperty("tokenizer_vocab_size") int tokenizerVocabSize,
    @JsonProperty("elapsed_seconds") double elapsedSeconds) {

  public static final String FILE_NAME = "trainer_state.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public void write(Path dir) throws IOException {
    JSON.writeValue(dir.resolve(FILE_NAME).toFile(), this);
  }

  public static TrainingState read(Path dir) throws IOException {
    Path file = dir.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      throw new IOException(dir + " is not a bertforge training checkpoint (no " + FILE_NAME + ")");
    }
    return JSON.readValue(file.toFile(), TrainingState.class);
  }

  public static boolean isCheckpoint(Path dir) {
    return Files.isRegularFile(dir.resolve(FILE_NAME));
  }
}
