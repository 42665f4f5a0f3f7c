package dev.bertforge.runners.dataflow;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.model.pipeline.v1.RunnerApi;
import org.apache.beam.sdk.util.SerializableUtils;
import org.apache.beam.sdk.util.construction.PTransformTranslation;
import org.apache.beam.sdk.util.construction.ParDoTranslation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The pipelines construct and translate for Dataflow from the Dataflow bundle, on a machine without network or
 * credentials: DataflowRunner runs up to the job specification (written with {@code --templateLocation}, which
 * submits nothing, as a Flex Template launcher does), with a stager that uploads nothing and input and output in a
 * bucket-like {@code remote://} file system. Then: no connection was attempted, the command ended without error and
 * wrote nothing to its output, every DoFn in the pipeline proto deserializes and serializes again, and no step holds
 * a path of the launching machine. All launches share one JVM (starting one on the bundle costs about 10 s).
 */
class DataflowConstructionIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String COPY_DOCUMENTS = "copy-documents";
  private static final String LOCAL_INPUT = "local-input";

  @TempDir static Path workDir;
  private static BundleProcess.Result launch;

  @BeforeAll
  static void launchEveryPipelineOnce() throws Exception {
    Path corpus = Files.createDirectories(workDir.resolve("remote/bucket/corpus"));
    Files.writeString(
        corpus.resolve("docs.jsonl"),
        "{\"id\":\"a\",\"text\":\"first document\"}\n{\"id\":\"b\",\"text\":\"second document\"}\n");
    copyDirectory(Paths.get("../../transforms/src/test/resources/shards/tokenizer"),
        workDir.resolve("remote/bucket/tokenizer"));
    Path localCorpus = Files.createDirectories(workDir.resolve("local-corpus"));
    Files.writeString(localCorpus.resolve("docs.jsonl"), "{\"id\":\"a\",\"text\":\"a document\"}\n");

    Map<String, List<String>> launches = new LinkedHashMap<>();
    launches.put(COPY_DOCUMENTS, List.of(CopyDocumentsPipeline.class.getName(),
        "--input=remote://bucket/corpus/*.jsonl", "--output=remote://bucket/" + COPY_DOCUMENTS + "/"));
    launches.put(LOCAL_INPUT, List.of(CopyDocumentsPipeline.class.getName(),
        "--input=" + localCorpus + "/*.jsonl", "--output=remote://bucket/" + LOCAL_INPUT + "/"));
    for (DataflowTemplates.Template template : DataflowTemplates.ALL) {
      List<String> launch = new ArrayList<>(List.of(template.mainClass().getName()));
      launch.addAll(pipelineArguments(template.command()));
      launches.put(template.command(), launch);
    }

    List<String> args = new ArrayList<>();
    for (Map.Entry<String, List<String>> each : launches.entrySet()) {
      if (!args.isEmpty()) {
        args.add(OfflineLaunch.SEPARATOR);
      }
      args.add(each.getKey());
      args.addAll(each.getValue());
      args.addAll(dataflowArguments(jobFile(each.getKey())));
    }
    Path cwd = Files.createDirectories(workDir.resolve("launcher-cwd"));
    launch =
        BundleProcess.on(BundleProcess.bundleUnderTest())
            .withClasspath(testClasses())
            .withJvmFlag("-D" + RemoteFileSystem.ROOT_PROPERTY + "=" + workDir.resolve("remote"))
            .inDirectory(cwd)
            .run(OfflineLaunch.class.getName(), args, 600, workDir.resolve("launch.log"));
  }

  /** What each template's pipeline is launched with: everything on the bucket-like file system. */
  private static List<String> pipelineArguments(String command) {
    String input = "--input=remote://bucket/corpus/*.jsonl";
    String output = "--output=" + remoteOutput(command);
    switch (command) {
      case "stats":
      case "dedup":
        return List.of(input, output);
      case "train-tokenizer":
      case "prepare":
        return List.of(input, output, "--vocabSize=300");
      case "pretokenize":
        return List.of(input, output, "--tokenizer=remote://bucket/tokenizer/");
      default:
        throw new AssertionError("say here what '" + command + "' is launched with");
    }
  }

  private static String remoteOutput(String name) {
    return "remote://bucket/" + name + "/";
  }

  /** DataflowRunner as far as the job specification, written to {@code jobFile} instead of submitted. */
  private static List<String> dataflowArguments(Path jobFile) {
    return List.of(
        "--runner=DataflowRunner",
        "--project=bertforge-test",
        "--region=europe-west1",
        "--tempLocation=gs://bertforge-test/tmp",
        // given, not derived: deriving it from tempLocation asks GCS about the bucket's soft-delete policy
        "--gcpTempLocation=gs://bertforge-test/tmp",
        "--templateLocation=" + jobFile,
        "--stagerClass=" + NoUploadStager.class.getName(),
        "--pathValidatorClass=org.apache.beam.sdk.extensions.gcp.storage.NoopPathValidator",
        "--credentialFactoryClass=org.apache.beam.sdk.extensions.gcp.auth.NoopCredentialFactory");
  }

  private static Path jobFile(String name) {
    return workDir.resolve("jobs").resolve(name).resolve("job.json");
  }

  @Test
  void readingAndWritingDocumentsTranslatesWithoutNetworkOrLocalPaths() throws Exception {
    checkTranslates(COPY_DOCUMENTS);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("templates")
  void everyTemplatePipelineTranslatesWithoutNetworkOrLocalPaths(String command) throws Exception {
    checkTranslates(command);
    assertThat(launch.output, containsString(command + ": job written as a template to " + jobFile(command)));
    assertThat("files the template launch wrote to its output", filesUnder(workDir.resolve("remote/bucket")
        .resolve(command)), empty());
  }

  static Stream<Arguments> templates() {
    return DataflowTemplates.ALL.stream().map(t -> Arguments.of(t.command()));
  }

  @Test
  void aStepThatNamesALocalPathIsCaught() {
    AssertionError caught = assertThrows(AssertionError.class, () -> checkTranslates(LOCAL_INPUT));
    assertThat(caught.getMessage(), containsString("names the local path"));
  }

  /** Checks what DataflowRunner produced for launch {@code name}. */
  private static void checkTranslates(String name) throws Exception {
    assertThat(launch.tail(), launch.output, containsString(OfflineLaunch.REPORT_PREFIX + "0 []"));
    assertThat(launch.tail(), launch.output, containsString(OfflineLaunch.returned(name)));
    Path jobFile = jobFile(name);
    assertTrue(Files.isRegularFile(jobFile), "no job specification written:\n" + launch.tail());
    JsonNode steps = JSON.readTree(jobFile.toFile()).path("steps");
    assertThat("steps in the job", steps.size(), greaterThan(0));

    byte[] pipelineProto = Files.readAllBytes(NoUploadStager.stagedDirectory(jobFile).resolve("pipeline.pb"));
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
    for (String local : localPaths()) {
      assertTrue(!stepsText.contains(local), "a job step names the local path " + local);
      assertTrue(!protoText.contains(local), "the pipeline proto names the local path " + local);
    }
  }

  /** Paths of the launching machine that must not reach a worker. */
  private static List<String> localPaths() {
    return List.of(workDir.toString(), Paths.get("").toAbsolutePath().toString(), "file:/");
  }

  private static List<Path> filesUnder(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(directory)) {
      return files.filter(Files::isRegularFile).collect(Collectors.toList());
    }
  }

  private static void copyDirectory(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path file : files.collect(Collectors.toList())) {
        Files.copy(file, to.resolve(file.getFileName()));
      }
    }
  }

  private static Path testClasses() throws Exception {
    return Paths.get(DataflowConstructionIT.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }
}
