package dev.bertforge.runners.dataflow;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bertforge.runners.testing.BundleProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.model.pipeline.v1.RunnerApi;
import org.apache.beam.sdk.util.SerializableUtils;
import org.apache.beam.sdk.util.construction.PTransformTranslation;
import org.apache.beam.sdk.util.construction.ParDoTranslation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The pipelines construct and translate for Dataflow from the Dataflow bundle, on a machine without network or
 * credentials: DataflowRunner runs up to the job specification (written with {@code --templateLocation}, which
 * submits nothing), with a stager that uploads nothing and input and output in a bucket-like {@code remote://}
 * file system. Then: no connection was attempted, every DoFn in the pipeline proto deserializes and serializes
 * again, and no step holds a path of the launching machine.
 */
class DataflowConstructionIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path workDir;

  @Test
  void readingAndWritingDocumentsTranslatesWithoutNetworkOrLocalPaths() throws Exception {
    writeCorpus();
    checkTranslates(
        CopyDocumentsPipeline.class.getName(),
        List.of("--input=remote://bucket/corpus/*.jsonl", "--output=remote://bucket/out/"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("templates")
  void everyTemplatePipelineTranslatesWithoutNetworkOrLocalPaths(String command, String mainClass)
      throws Exception {
    writeCorpus();
    checkTranslates(mainClass, launchArguments(command));
  }

  static Stream<Arguments> templates() {
    return DataflowTemplates.ALL.stream().map(t -> Arguments.of(t.command(), t.mainClass().getName()));
  }

  /** What each pipeline is launched with: everything on the bucket-like file system. */
  private static List<String> launchArguments(String command) {
    switch (command) {
      case "stats":
        return List.of("--input=remote://bucket/corpus/*.jsonl", "--output=remote://bucket/stats/");
      case "train-tokenizer":
        return List.of(
            "--input=remote://bucket/corpus/*.jsonl", "--output=remote://bucket/tokenizer/", "--vocabSize=300");
      default:
        throw new AssertionError("say here what '" + command + "' is launched with");
    }
  }

  private void writeCorpus() throws IOException {
    Path corpus = Files.createDirectories(workDir.resolve("remote/bucket/corpus"));
    Files.writeString(
        corpus.resolve("docs.jsonl"),
        "{\"id\":\"a\",\"text\":\"first document\"}\n{\"id\":\"b\",\"text\":\"second document\"}\n");
  }

  @Test
  void aStepThatNamesALocalPathIsCaught() throws Exception {
    Path corpus = Files.createDirectories(workDir.resolve("local-corpus"));
    Files.writeString(corpus.resolve("docs.jsonl"), "{\"id\":\"a\",\"text\":\"a document\"}\n");
    AssertionError caught =
        assertThrows(
            AssertionError.class,
            () ->
                checkTranslates(
                    CopyDocumentsPipeline.class.getName(),
                    List.of("--input=" + corpus + "/*.jsonl", "--output=remote://bucket/out/")));
    assertThat(caught.getMessage(), containsString("names the local path"));
  }

  /** Launches {@code mainClass} for Dataflow with {@code pipelineArgs} and checks what DataflowRunner produced. */
  private void checkTranslates(String mainClass, List<String> pipelineArgs) throws Exception {
    Path cwd = Files.createDirectories(workDir.resolve("launcher-cwd"));
    Path staged = workDir.resolve("staged");
    Path jobFile = workDir.resolve("job.json");
    List<String> args = new ArrayList<>(List.of(mainClass));
    args.addAll(pipelineArgs);
    args.addAll(
        List.of(
            "--runner=DataflowRunner",
            "--project=bertforge-test",
            "--region=europe-west1",
            "--tempLocation=gs://bertforge-test/tmp",
            // given, not derived: deriving it from tempLocation asks GCS about the bucket's soft-delete policy
            "--gcpTempLocation=gs://bertforge-test/tmp",
            "--templateLocation=" + jobFile,
            "--stagerClass=" + NoUploadStager.class.getName(),
            "--pathValidatorClass=org.apache.beam.sdk.extensions.gcp.storage.NoopPathValidator",
            "--credentialFactoryClass=org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory"));
    BundleProcess.Result launch =
        BundleProcess.on(BundleProcess.bundleUnderTest())
            .withClasspath(testClasses())
            .withJvmFlag("-D" + RemoteFileSystem.ROOT_PROPERTY + "=" + workDir.resolve("remote"))
            .withJvmFlag("-D" + NoUploadStager.DIR_PROPERTY + "=" + staged)
            .inDirectory(cwd)
            .run(OfflineLaunch.class.getName(), args, 300, workDir.resolve("launch.log"));

    assertThat(launch.tail(), launch.output, containsString(OfflineLaunch.REPORT_PREFIX + "0 []"));
    assertTrue(Files.isRegularFile(jobFile), "no job specification written:\n" + launch.tail());
    JsonNode steps = JSON.readTree(jobFile.toFile()).path("steps");
    assertThat("steps in the job", steps.size(), greaterThan(0));

    byte[] pipelineProto = Files.readAllBytes(staged.resolve("pipeline.pb"));
    RunnerApi.Pipeline pipeline = RunnerApi.Pipeline.parseFrom(pipelineProto);
    int doFns = 0;
    for (RunnerApi.PTransform transform : pipeline.getComponents().getTransformsMap().values()) {
      if (PTransformTranslation.PAR_DO_TRANSFORM_URN.equals(transform.getSpec().getUrn())) {
        RunnerApi.ParDoPayload payload = RunnerApi.ParDoPayload.parseFrom(transform.getSpec().getPayload());
        SerializableUtils.ensureSerializable(
            ParDoTranslation.doFnWithExecutionInformationFromProto(payload.getDoFn()).getDoFn());
        doFns++;
      }
    }
    assertThat("DoFns in the pipeline", doFns, greaterThan(0));

    String stepsText = steps.toString();
    String protoText = new String(pipelineProto, StandardCharsets.ISO_8859_1);
    for (String local : localPaths(cwd)) {
      assertTrue(!stepsText.contains(local), "a job step names the local path " + local);
      assertTrue(!protoText.contains(local), "the pipeline proto names the local path " + local);
    }
  }

  /** Paths of the launching machine that must not reach a worker. */
  private List<String> localPaths(Path cwd) {
    return List.of(workDir.toString(), cwd.toString(), Paths.get("").toAbsolutePath().toString(), "file:/");
  }

  private static Path testClasses() throws Exception {
    return Paths.get(DataflowConstructionIT.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }
}
