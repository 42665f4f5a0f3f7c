package dev.bertforge.options;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

class DedupOptionsTest {
  private static DedupOptions parse(String... args) {
    return PipelineOptionsFactory.fromArgs(args).as(DedupOptions.class);
  }

  @Test
  void defaultsAreBigCodesSettingsAndVerifyParsesInAnyCase() {
    DedupOptions options = parse("--input=a.jsonl", "--output=out", "--verify=exact");
    assertThat(options.getNgramSize(), equalTo(5));
    assertThat(options.getNumPerm(), equalTo(256));
    assertThat(options.getThreshold(), equalTo(0.7));
    assertThat(options.getBands(), nullValue());
    assertThat(options.getVerify(), equalTo(Verification.EXACT));
    OptionChecks.check(options);
    assertThat(parse("--input=a", "--output=o").getVerify(), equalTo(Verification.SIGNATURE));
  }

  @Test
  void badCombinationsAreExplained() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OptionChecks.check(parse("--input=a", "--output=o", "--bands=30")));
    assertThat(e.getMessage(), containsString("--bands and --rows go together"));
    e = assertThrows(IllegalArgumentException.class,
        () -> OptionChecks.check(parse("--input=a", "--output=o", "--bands=30", "--rows=10")));
    assertThat(e.getMessage(), containsString("must not exceed --numPerm"));
    e = assertThrows(IllegalArgumentException.class,
        () -> OptionChecks.check(parse("--input=a", "--output=o", "--threshold=1.5")));
    assertThat(e.getMessage(), containsString("--threshold"));
  }
}
