package dev.bertforge.runners.dataflow;

import java.io.IOException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@code OfflineLaunch NAME MAIN_CLASS ARGS... [--- NAME MAIN_CLASS ARGS...]...}: runs pipeline mains one after the
 * other in this JVM (one JVM start for many launches) with every HTTP(S) connection refused and recorded (Google's
 * and AWS's clients ask the default ProxySelector first). Prints {@code launch NAME: returned} when a main returns
 * (or {@code launch NAME: threw ...}), and on exit one line {@code network attempts: N [uris]} for the test to check.
 */
public final class OfflineLaunch {

  static final String REPORT_PREFIX = "network attempts: ";
  static final String SEPARATOR = "---";

  private OfflineLaunch() {}

  /** The line printed when launch {@code name}'s main returned. */
  static String returned(String name) {
    return "launch " + name + ": returned";
  }

  public static void main(String[] args) throws Throwable {
    List<URI> attempts = new CopyOnWriteArrayList<>();
    ProxySelector.setDefault(
        new ProxySelector() {
          @Override
          public List<Proxy> select(URI uri) {
            attempts.add(uri);
            throw new IllegalStateException("network access attempted while launching: " + uri);
          }

          @Override
          public void connectFailed(URI uri, SocketAddress address, IOException failure) {}
        });
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> System.out.println(REPORT_PREFIX + attempts.size() + " " + attempts)));
    for (List<String> launch : launches(args)) {
      String name = launch.get(0);
      try {
        Class.forName(launch.get(1))
            .getMethod("main", String[].class)
            .invoke(null, (Object) launch.subList(2, launch.size()).toArray(new String[0]));
        System.out.println(returned(name));
      } catch (Throwable e) {
        System.out.println("launch " + name + ": threw " + e);
        e.printStackTrace(System.out);
      }
    }
  }

  private static List<List<String>> launches(String[] args) {
    List<List<String>> launches = new ArrayList<>();
    List<String> current = new ArrayList<>();
    for (String arg : Arrays.asList(args)) {
      if (arg.equals(SEPARATOR)) {
        launches.add(current);
        current = new ArrayList<>();
      } else {
        current.add(arg);
      }
    }
    launches.add(current);
    return launches;
  }
}
