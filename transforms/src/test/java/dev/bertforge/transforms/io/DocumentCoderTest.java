package dev.bertforge.transforms.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.instanceOf;

import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.junit.jupiter.api.Test;

class DocumentCoderTest {
  @Test
  void defaultCoderIsTheDocumentCoder() throws Exception {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    Coder<Document> coder = p.getCoderRegistry().getCoder(TypeDescriptor.of(Document.class));
    assertThat(coder, instanceOf(Document.DocumentCoder.class));
  }

  @Test
  void roundTripsWithAndWithoutRecord() throws Exception {
    CoderProperties.coderDecodeEncodeEqual(Document.DocumentCoder.of(), Document.of("a:1", "héllo 👋"));
    CoderProperties.coderDecodeEncodeEqual(
        Document.DocumentCoder.of(), Document.of("a:2", "text", new byte[] {1, 2, 3}));
    CoderProperties.coderDeterministic(
        Document.DocumentCoder.of(), Document.of("x", "y"), Document.of("x", "y"));
  }
}
