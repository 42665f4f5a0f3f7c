package dev.bertforge.runners.dataflow;

import java.io.IOException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@code OfflineLaunch MAIN_CLASS ARGS...}: runs a pipeline's main with every HTTP(S) connection refused and
 * recorded (Google's and AWS's clients ask the default ProxySelector first), and prints on exit one line
 * {@code network attempts: N [uris]} for the test to check.
 */
public final class OfflineLaunch {

  static final String REPORT_PREFIX = "network attempts: ";

  private OfflineLaunch() {}

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
    Class.forName(args[0])
        .getMethod("main", String[].class)
        .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
  }
}
