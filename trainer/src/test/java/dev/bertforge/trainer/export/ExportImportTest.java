package dev.bertforge.trainer.export;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bertforge.trainer.cli.ExportCommand;
import dev.bertforge.trainer.model.EncoderInput;
import dev.bertforge.trainer.model.ModernBertForMaskedLM;
import dev.bertforge.trainer.train.TrainingState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Import of an HF directory, checkpoint save, export, and the errors on directories that do not fit. */
class ExportImportTest {

  static final Path HF = Path.of("src/test/resources/parity/l4_h32");
  static final Path TOKENIZER = Path.of("src/test/resources/parity/tokenizer");
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void checkpointThenExportKeepsEveryWeightAndTheLogits(@TempDir Path tmp) throws Exception {
    Path checkpointDir = tmp.resolve("ckpt");
    Path exportDir = tmp.resolve("export");
    try (NDManager manager = NDManager.newBaseManager(); NDScope scope = new NDScope()) {
      ModernBertForMaskedLM imported = HfModel.load(HF, manager);
      Checkpoint.save(checkpointDir, imported, TokenizerFiles.in(TOKENIZER), dir ->
          Files.writeString(dir.resolve("trainer-state.json"), "{}"));
      assertThat(Files.isRegularFile(checkpointDir.resolve("trainer-state.json")), is(true));
      assertThat(Files.isRegularFile(checkpointDir.resolve("tokenizer/tokenizer_config.json")), is(true));
      JsonNode checkpointConfig = JSON.readTree(checkpointDir.resolve("config.json").toFile());
      assertThat(checkpointConfig.has(HfConfig.EXTRAS), is(true));

      Checkpoint.at(checkpointDir).export(exportDir, manager);

      // weights: exactly transformers' keys (no decoder.weight), bit for bit
      Map<String, SafeTensors.Tensor> original = SafeTensors.read(HF.resolve("model.safetensors"));
      Map<String, SafeTensors.Tensor> exported = SafeTensors.read(exportDir.resolve("model.safetensors"));
      assertThat(exported.keySet(), equalTo(original.keySet()));
      for (String key : original.keySet()) {
        assertArrayEquals(original.get(key).toFloats(), exported.get(key).toFloats(), key);
      }
      // config: both key sets, consistent, no training extras
      JsonNode config = JSON.readTree(exportDir.resolve("config.json").toFile());
      assertThat(config.has(HfConfig.EXTRAS), is(false));
      assertThat(config.get("global_attn_every_n_layers").asInt(), equalTo(3));
      assertThat(config.get("layer_types").toString(),
          equalTo("[\"full_attention\",\"sliding_attention\",\"sliding_attention\",\"full_attention\"]"));
      assertThat(config.get("global_rope_theta").asDouble(), equalTo(10000.0));
      assertThat(config.at("/rope_parameters/full_attention/rope_theta").asDouble(), equalTo(10000.0));
      assertThat(config.get("tie_word_embeddings").asBoolean(), is(true));
      // tokenizer files, with the config files the source lacked
      for (String f : List.of("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json")) {
        assertThat(f, Files.isRegularFile(exportDir.resolve(f)), is(true));
      }
      assertThat(JSON.readTree(exportDir.resolve("tokenizer_config.json").toFile()).get("mask_token").asText(),
          equalTo("[MASK]"));

      // the exported model computes what the imported one does
      ModernBertForMaskedLM reloaded = HfModel.load(exportDir, manager);
      EncoderInput input = EncoderInput.ofRows(new long[][] {{1, 20, 30, 4, 40, 2}}, 3);
      ParameterStore ps = new ParameterStore(manager, false);
      assertArrayEquals(imported.logits(ps, input, manager).toFloatArray(),
          reloaded.logits(ps, input, manager).toFloatArray());
    }
    try (Stream<Path> left = Files.list(tmp)) {
      assertThat("no temporary folders left", left.count(), equalTo(2L));
    }
  }

  @Test
  void exportTakesAStageFolderAsItsLatestCheckpoint(@TempDir Path tmp) throws Exception {
    Path stage = tmp.resolve("stage");
    try (NDManager manager = NDManager.newBaseManager(); NDScope scope = new NDScope()) {
      ModernBertForMaskedLM model = HfModel.load(HF, manager);
      // the older checkpoint holds no tokenizer, so exporting it would fail: only the latest can succeed
      Checkpoint.save(stage.resolve("step-00000001"), model, null,
          d -> Files.writeString(d.resolve(TrainingState.FILE_NAME), "{}"));
      Checkpoint.save(stage.resolve("step-00000002"), model, TokenizerFiles.in(TOKENIZER),
          d -> Files.writeString(d.resolve(TrainingState.FILE_NAME), "{}"));
    }
    ExportCommand.main(new String[] {"--checkpoint=" + stage, "--output=" + tmp.resolve("out")});
    assertThat(Files.isRegularFile(tmp.resolve("out/model.safetensors")), is(true));
    assertThat(Files.isRegularFile(tmp.resolve("out/tokenizer.json")), is(true));
  }

  @Test
  void savingAgainReplacesTheCheckpointWhole(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("ckpt");
    try (NDManager manager = NDManager.newBaseManager()) {
      ModernBertForMaskedLM model = HfModel.load(HF, manager);
      Checkpoint.save(dir, model, null, d -> Files.writeString(d.resolve("old-only.txt"), "x"));
      Checkpoint.save(dir, model, null, Checkpoint.State.NONE);
    }
    assertThat(Files.exists(dir.resolve("old-only.txt")), is(false));
    assertThat(Files.isRegularFile(dir.resolve("model.safetensors")), is(true));
    try (Stream<Path> left = Files.list(tmp)) {
      assertThat(left.count(), equalTo(1L));
    }
  }

  @Test
  void exportNeedsTheTokenizer(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("ckpt");
    try (NDManager manager = NDManager.newBaseManager()) {
      Checkpoint.save(dir, HfModel.load(HF, manager), null, Checkpoint.State.NONE);
      Exception e = assertThrows(IllegalArgumentException.class,
          () -> Checkpoint.at(dir).export(tmp.resolve("out"), manager));
      assertThat(e.getMessage(), containsString("tokenizer/tokenizer.json"));
    }
    assertThat(Files.exists(tmp.resolve("out")), is(false));
  }

  @Test
  void wrongWeightsAreRefusedWithTheKey(@TempDir Path tmp) throws Exception {
    // a config that implies a wider intermediate layer than the weights have
    Path dir = copyOf(HF, tmp.resolve("wide"));
    editConfig(dir, c -> c.put("intermediate_size", 64));
    assertThat(importError(dir), containsString("model.layers.0.mlp.Wi.weight has shape (96, 32), config.json "
        + "implies (128, 32)"));
    // a config with one layer more: its weights are missing
    Path deeper = copyOf(HF, tmp.resolve("deeper"));
    editConfig(deeper, c -> {
      c.put("num_hidden_layers", 5);
      c.remove("layer_types");
    });
    assertThat(importError(deeper), containsString("missing model.layers.4.attn.Wo.weight"));
    // one layer fewer: its weights are unexpected
    Path shallower = copyOf(HF, tmp.resolve("shallower"));
    editConfig(shallower, c -> {
      c.put("num_hidden_layers", 3);
      c.remove("layer_types");
    });
    assertThat(importError(shallower), containsString("unexpected model.layers.3.attn.Wo.weight"));
  }

  @Test
  void tokenizerWhoseSpecialIdsDifferIsRefused(@TempDir Path tmp) throws Exception {
    Path dir = copyOf(HF, tmp.resolve("m"));
    editConfig(dir, c -> c.put("pad_token_id", 0));
    try (NDManager manager = NDManager.newBaseManager()) {
      ModernBertForMaskedLM model = HfModel.load(dir, manager);
      Exception e = assertThrows(IllegalArgumentException.class,
          () -> Checkpoint.save(tmp.resolve("ckpt"), model, TokenizerFiles.in(TOKENIZER), Checkpoint.State.NONE));
      assertThat(e.getMessage(), containsString("[PAD] is id 3 but the model config says pad_token_id 0"));
    }
  }

  static String importError(Path dir) {
    try (NDManager manager = NDManager.newBaseManager()) {
      return assertThrows(IllegalArgumentException.class, () -> HfModel.load(dir, manager)).getMessage();
    }
  }

  static Path copyOf(Path source, Path target) throws Exception {
    Files.createDirectories(target);
    for (String f : List.of("config.json", "model.safetensors")) {
      Files.copy(source.resolve(f), target.resolve(f));
    }
    return target;
  }

  interface ConfigEdit {
    void apply(ObjectNode config);
  }

  static void editConfig(Path dir, ConfigEdit edit) throws Exception {
    ObjectNode config = (ObjectNode) JSON.readTree(dir.resolve("config.json").toFile());
    edit.apply(config);
    JSON.writeValue(dir.resolve("config.json").toFile(), config);
  }
}
