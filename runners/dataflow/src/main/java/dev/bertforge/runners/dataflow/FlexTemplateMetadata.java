package dev.bertforge.runners.dataflow;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.beans.Introspector;
import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Hidden;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/**
 * The Flex Template metadata file ({@code gcloud dataflow flex-template build --metadata-file}) of one pipeline,
 * made from its {@code PipelineOptions} interface: one parameter per bertforge option, with the option's help
 * text, its default, whether it is required, and a regex for enums, numbers and booleans. Beam's and Dataflow's own
 * options (runner, project, region, temp location, workers) are launch options, not template parameters.
 */
public final class FlexTemplateMetadata {

  /** Options declared in interfaces of this package prefix become template parameters. */
  private static final String OWN_PACKAGE = "dev.bertforge.";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private FlexTemplateMetadata() {}

  /** {@code FlexTemplateMetadata DIR}: writes DIR/COMMAND-metadata.json for every template. */
  public static void main(String[] args) throws IOException {
    Path directory = Paths.get(args.length > 0 ? args[0] : "runners/dataflow/templates");
    Files.createDirectories(directory);
    for (DataflowTemplates.Template template : DataflowTemplates.ALL) {
      Path file = directory.resolve(template.metadataFile());
      Files.writeString(file, template.metadata());
      System.out.println("wrote " + file);
    }
  }

  /** The metadata JSON of a template named {@code name} over a pipeline with options {@code options}. */
  public static String of(String name, String description, Class<? extends PipelineOptions> options) {
    ObjectNode metadata = JSON.createObjectNode();
    metadata.put("name", name);
    metadata.put("description", description);
    metadata.put("streaming", false);
    ArrayNode parameters = metadata.putArray("parameters");
    for (Method getter : ownGetters(options)) {
      String option = optionName(getter);
      ObjectNode parameter = parameters.addObject();
      parameter.put("name", option);
      parameter.put("label", label(option));
      parameter.put("helpText", helpText(getter));
      parameter.put("isOptional", getter.getAnnotation(Validation.Required.class) == null);
      String regex = regexOf(getter.getReturnType());
      if (regex != null) {
        parameter.putArray("regexes").add(regex);
      }
    }
    try {
      return JSON.writeValueAsString(metadata) + "\n";
    } catch (Exception e) {
      throw new IllegalStateException("cannot write the metadata of " + name, e);
    }
  }

  /** The documented, visible getters of bertforge's interfaces among {@code options} and its ancestors, by name. */
  static List<Method> ownGetters(Class<? extends PipelineOptions> options) {
    Set<Class<?>> interfaces = new LinkedHashSet<>();
    collectInterfaces(options, interfaces);
    List<Method> getters = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (Class<?> type : interfaces) {
      if (!type.getName().startsWith(OWN_PACKAGE) || type.getAnnotation(Hidden.class) != null) {
        continue;
      }
      for (Method method : type.getDeclaredMethods()) {
        if (isGetter(method) && method.getAnnotation(Hidden.class) == null && seen.add(optionName(method))) {
          getters.add(method);
        }
      }
    }
    getters.sort(Comparator.comparing(FlexTemplateMetadata::optionName));
    return getters;
  }

  private static void collectInterfaces(Class<?> type, Set<Class<?>> into) {
    if (into.add(type)) {
      for (Class<?> parent : type.getInterfaces()) {
        collectInterfaces(parent, into);
      }
    }
  }

  private static boolean isGetter(Method method) {
    String name = method.getName();
    return method.getParameterCount() == 0
        && !method.isDefault()
        && ((name.startsWith("get") && name.length() > 3)
            || (name.startsWith("is") && name.length() > 2 && method.getReturnType() == boolean.class));
  }

  static String optionName(Method getter) {
    String name = getter.getName();
    return Introspector.decapitalize(name.substring(name.startsWith("get") ? 3 : 2));
  }

  /** "minhashPermutations" becomes "Minhash permutations". */
  private static String label(String option) {
    String words = option.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase();
    return Character.toUpperCase(words.charAt(0)) + words.substring(1);
  }

  private static String helpText(Method getter) {
    Description description = getter.getAnnotation(Description.class);
    String help = description == null ? "" : description.value().trim();
    String defaultValue = defaultOf(getter);
    return defaultValue == null ? help : help + " Default: " + defaultValue + ".";
  }

  /** The value of whichever {@code @Default.*} annotation the getter carries, as text. */
  private static String defaultOf(Method getter) {
    for (Annotation annotation : getter.getAnnotations()) {
      Class<? extends Annotation> type = annotation.annotationType();
      if (type.getEnclosingClass() == Default.class && type != Default.InstanceFactory.class) {
        try {
          Object value = type.getMethod("value").invoke(annotation);
          return value instanceof Class ? ((Class<?>) value).getSimpleName() : String.valueOf(value);
        } catch (ReflectiveOperationException e) {
          throw new IllegalStateException("unreadable default on " + getter, e);
        }
      }
    }
    return null;
  }

  /** Dataflow checks parameters against these before launching, so a typo fails at submission, not on workers. */
  static String regexOf(Class<?> type) {
    if (type.isEnum()) {
      // the names as declared and in lower case, the way the help texts spell them
      return Arrays.stream(type.getEnumConstants())
          .map(constant -> ((Enum<?>) constant).name())
          .flatMap(name -> Stream.of(name, name.toLowerCase(Locale.ROOT)).distinct())
          .collect(Collectors.joining("|", "^(", ")$"));
    }
    if (type == boolean.class || type == Boolean.class) {
      return "^(true|false)$";
    }
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      return "^-?[0-9]+$";
    }
    if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
      return "^-?[0-9]+(\\.[0-9]+)?([eE]-?[0-9]+)?$";
    }
    return null;
  }
}
