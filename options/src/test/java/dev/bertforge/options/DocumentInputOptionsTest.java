package dev.bertforge.options;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

class DocumentInputOptionsTest {
  private static DocumentInputOptions parse(String... args) {
    return PipelineOptionsFactory.fromArgs(args).withValidation().as(DocumentInputOptions.class);
  }

  @Test
  void hasDefaultsAndParsesEnumsInAnyCase() {
    DocumentInputOptions options = parse("--input=data/*.jsonl");
    assertThat(options.getFormat(), equalTo(InputFormat.AUTO));
    assertThat(options.getTextField(), equalTo("text"));
    assertThat(options.getIdField(), nullValue());
    assertThat(options.getTextMode(), equalTo(TextMode.FILE));
    assertThat(options.getFailOnBadRecords(), equalTo(false));
    DocumentInputOptions set = parse("--input=x", "--format=parquet", "--textMode=LINE", "--failOnBadRecords");
    assertThat(set.getFormat(), equalTo(InputFormat.PARQUET));
    assertThat(set.getTextMode(), equalTo(TextMode.LINE));
    assertThat(set.getFailOnBadRecords(), equalTo(true));
    OptionChecks.check(set);
  }

  @Test
  void rejectsMissingOrInconsistentValues() {
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> parse("--format=jsonl"));
    assertThat(missing.getMessage(), containsString("--input"));
    assertThrows(IllegalArgumentException.class, () -> parse("--input=x", "--format=csv"));
    IllegalArgumentException same =
        assertThrows(IllegalArgumentException.class,
            () -> OptionChecks.check(parse("--input=x", "--idField=text")));
    assertThat(same.getMessage(), containsString("--idField and --textField"));
    assertThrows(IllegalArgumentException.class,
        () -> OptionChecks.check(parse("--input=x", "--format=text", "--idField=id")));
  }

  @Test
  void knowsFormatsByExtension() {
    assertThat(InputFormat.fromFileName("a/b.JSONL"), equalTo(InputFormat.JSONL));
    assertThat(InputFormat.fromFileName("b.ndjson"), equalTo(InputFormat.JSONL));
    assertThat(InputFormat.fromFileName("c.parquet"), equalTo(InputFormat.PARQUET));
    assertThat(InputFormat.fromFileName("d.md"), equalTo(InputFormat.TEXT));
  }

  @Test
  void outputOptionsNeedAnOutput() {
    assertThrows(IllegalArgumentException.class,
        () -> PipelineOptionsFactory.fromArgs().withValidation().as(DocumentOutputOptions.class));
    DocumentOutputOptions options =
        PipelineOptionsFactory.fromArgs("--output=out", "--numShards=-1").as(DocumentOutputOptions.class);
    assertThrows(IllegalArgumentException.class, () -> OptionChecks.check(options));
  }
}
