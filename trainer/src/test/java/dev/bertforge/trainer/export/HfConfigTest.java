package dev.bertforge.trainer.export;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bertforge.trainer.model.ModernBertConfig;
import org.junit.jupiter.api.Test;

/** Reading transformers 4.x and 5.x configs, writing both, refusing what the model does not implement. */
class HfConfigTest {

  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void readsTheFourXKeys() throws Exception {
    ModernBertConfig c = HfConfig.fromJson(JSON.readTree("{\"model_type\": \"modernbert\", \"vocab_size\": 100,"
        + " \"hidden_size\": 64, \"num_attention_heads\": 4, \"num_hidden_layers\": 7, \"intermediate_size\": 96,"
        + " \"global_attn_every_n_layers\": 2, \"global_rope_theta\": 160000.0, \"local_rope_theta\": 10000.0,"
        + " \"local_attention\": 64, \"pad_token_id\": 3}"));
    assertThat(c.globalAttnEveryNLayers(), equalTo(2));
    assertThat(c.globalRopeTheta(), equalTo(160000.0));
    assertThat(c.localRopeTheta(), equalTo(10000.0));
    assertThat(c.slidingWindow(), equalTo(32));
  }

  @Test
  void fiveXKeysWinAndBothAreWritten() throws Exception {
    ModernBertConfig stage1 = ModernBertConfig.builder().vocabSize(100).hiddenSize(64).numAttentionHeads(4)
        .numHiddenLayers(7).intermediateSize(96).padTokenId(3).globalAttnEveryNLayers(3)
        .globalRopeTheta(10000).localRopeTheta(10000).build();
    ObjectNode json = HfConfig.toJson(stage1, false);
    // what 4.x reads and what 5.x reads say the same
    assertThat(json.get("global_rope_theta").asDouble(), equalTo(10000.0));
    assertThat(json.at("/rope_parameters/full_attention/rope_theta").asDouble(), equalTo(10000.0));
    assertThat(json.get("layer_types").get(3).asText(), equalTo("full_attention"));
    assertThat(json.get("layer_types").get(4).asText(), equalTo("sliding_attention"));
    assertThat(HfConfig.fromJson(json), equalTo(stage1.toBuilder().attentionOutputDropout(0f).build()));
    // 5.x keys override stale 4.x ones, as in transformers 5
    json.put("global_rope_theta", 1.0);
    json.put("global_attn_every_n_layers", 5);
    ModernBertConfig read = HfConfig.fromJson(json);
    assertThat(read.globalRopeTheta(), equalTo(10000.0));
    assertThat(read.globalAttnEveryNLayers(), equalTo(3));
  }

  @Test
  void trainingExtrasRoundTripThroughACheckpointConfig() {
    ModernBertConfig c = ModernBertConfig.builder().vocabSize(50).hiddenSize(32).numAttentionHeads(2)
        .numHiddenLayers(2).intermediateSize(48).padTokenId(3).attentionOutputDropout(0.1f).build();
    assertThat(HfConfig.fromJson(HfConfig.toJson(c, true)), equalTo(c));
  }

  @Test
  void refusesWhatTheModelDoesNotImplement() throws Exception {
    assertThat(error("{\"rope_parameters\": {\"full_attention\": {\"rope_type\": \"yarn\", \"rope_theta\": 1e4}}}"),
        containsString("rope_parameters.full_attention.rope_type is 'yarn'"));
    assertThat(error("{\"norm_bias\": true}"), containsString("norm_bias is true; only false is supported"));
    assertThat(error("{\"hidden_activation\": \"silu\"}"), containsString("hidden_activation is 'silu'"));
    assertThat(error("{\"tie_word_embeddings\": false}"), containsString("tie_word_embeddings"));
    assertThat(error("{\"model_type\": \"bert\"}"), containsString("model_type is 'bert'"));
    assertThat(error("{\"num_hidden_layers\": 3, \"layer_types\": [\"full_attention\", \"full_attention\","
        + " \"sliding_attention\"]}"), containsString("not 'full_attention every n-th layer"));
    assertThat(error("{\"hidden_size\": 100, \"num_attention_heads\": 3}"), containsString("not a multiple"));
  }

  static String error(String json) throws Exception {
    return assertThrows(IllegalArgumentException.class, () -> HfConfig.fromJson(JSON.readTree(json))).getMessage();
  }
}
