package dev.bertforge.runners.dataflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/** The committed template metadata lists every option the pipelines have now. */
class CommittedTemplatesTest {

  @Test
  void everyTemplatesMetadataIsUpToDate() throws Exception {
    for (DataflowTemplates.Template template : DataflowTemplates.ALL) {
      Path committed = Paths.get("templates").resolve(template.metadataFile());
      assertEquals(
          template.metadata(),
          Files.exists(committed) ? Files.readString(committed) : "(missing)",
          committed.toAbsolutePath()
              + " is not what the options say; regenerate it with: java -cp <dataflow bundle> "
              + FlexTemplateMetadata.class.getName()
              + " runners/dataflow/templates");
    }
  }
}
