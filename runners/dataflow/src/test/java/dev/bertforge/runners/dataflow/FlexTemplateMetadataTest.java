package dev.bertforge.runners.dataflow;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class FlexTemplateMetadataTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final JsonNode metadata = parse();

  private static JsonNode parse() {
    try {
      return JSON.readTree(
          FlexTemplateMetadata.of("copy", "Copies documents", CopyDocumentsPipeline.Options.class));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private Map<String, JsonNode> parameters() {
    Map<String, JsonNode> byName = new HashMap<>();
    metadata.path("parameters").forEach(p -> byName.put(p.path("name").asText(), p));
    return byName;
  }

  @Test
  void everyOwnOptionIsAParameterAndNoBeamOption() {
    List<String> names = new ArrayList<>(parameters().keySet());
    assertThat(
        names,
        containsInAnyOrder(
            "input", "format", "textField", "idField", "textMode", "failOnBadRecords", "output", "numShards"));
  }

  @Test
  void requiredOptionsAreNotOptional() {
    assertThat(parameters().get("input").path("isOptional").asBoolean(), is(false));
    assertThat(parameters().get("idField").path("isOptional").asBoolean(), is(true));
  }

  @Test
  void helpTextCarriesTheDescriptionAndTheDefault() {
    String help = parameters().get("textField").path("helpText").asText();
    assertThat(help, containsString("holds the document text"));
    assertThat(help, containsString("Default: text."));
  }

  @Test
  void regexesAcceptWhatBeamParsesAndRejectTypos() {
    Pattern format = Pattern.compile(parameters().get("format").path("regexes").get(0).asText());
    assertThat(format.matcher("jsonl").matches(), is(true));
    assertThat(format.matcher("PARQUET").matches(), is(true));
    assertThat(format.matcher("jsnol").matches(), is(false));
    Pattern shards = Pattern.compile(parameters().get("numShards").path("regexes").get(0).asText());
    assertThat(shards.matcher("16").matches(), is(true));
    assertThat(shards.matcher("sixteen").matches(), is(false));
    Pattern flag = Pattern.compile(parameters().get("failOnBadRecords").path("regexes").get(0).asText());
    assertThat(flag.matcher("true").matches(), is(true));
    assertThat(flag.matcher("yes").matches(), is(false));
  }

  @Test
  void labelsAreWords() {
    assertThat(parameters().get("failOnBadRecords").path("label").asText(), is("Fail on bad records"));
  }
}
