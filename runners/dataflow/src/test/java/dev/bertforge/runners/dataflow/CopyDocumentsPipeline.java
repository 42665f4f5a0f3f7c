package dev.bertforge.runners.dataflow;

import dev.bertforge.options.DocumentInputOptions;
import dev.bertforge.options.DocumentOutputOptions;
import dev.bertforge.transforms.io.ReadDocuments;
import dev.bertforge.transforms.io.WriteDocuments;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** Reads documents and writes them back in the input's format: the I/O every bertforge pipeline starts and ends with. */
public final class CopyDocumentsPipeline {

  /** Input and output options, as the real pipelines have them. */
  public interface Options extends DocumentInputOptions, DocumentOutputOptions {}

  private CopyDocumentsPipeline() {}

  public static void main(String[] args) {
    Options options = PipelineOptionsFactory.fromArgs(args).withValidation().as(Options.class);
    Pipeline pipeline = Pipeline.create(options);
    ReadDocuments.Result read = pipeline.apply("ReadDocuments", ReadDocuments.from(options));
    read.documents().apply("WriteDocuments", WriteDocuments.likeInput(read).to(options.getOutput()));
    pipeline.run();
  }
}
