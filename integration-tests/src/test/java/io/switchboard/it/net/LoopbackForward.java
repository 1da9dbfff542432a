package io.switchboard.it.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * LoopbackForward relays a port on 127.0.0.1 of the test's namespace to an address in another
 * namespace, so the test helpers that speak to {@code 127.0.0.1:<port>} reach a process inside a
 * partition side. Each connection is relayed byte for byte by two threads; a half close is passed
 * on, and closing the forward closes every connection.
 */
final class LoopbackForward implements AutoCloseable {

  private final ServerSocket server;
  private final InetSocketAddress target;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  LoopbackForward(String host, int port) {
    try {
      this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new IllegalStateException("Could not listen on loopback", e);
    }
    this.target = new InetSocketAddress(host, port);
    daemon("forward-accept-" + port, this::accept);
  }

  int port() {
    return server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        sockets.add(client);
        Socket upstream = new Socket();
        sockets.add(upstream);
        try {
          upstream.connect(target, 5_000);
        } catch (IOException refused) {
          client.close();
          upstream.close();
          continue;
        }
        daemon("forward-up", () -> pump(client, upstream));
        daemon("forward-down", () -> pump(upstream, client));
      } catch (IOException closed) {
        return;
      }
    }
  }

  private static void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int read;
      while ((read = in.read(buffer)) >= 0) {
        out.write(buffer, 0, read);
        out.flush();
      }
      to.shutdownOutput();
      if (from.isOutputShutdown()) {
        // Both directions are done.
        closeQuietly(from);
        closeQuietly(to);
      }
    } catch (IOException e) {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void daemon(String name, Runnable task) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    thread.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Already closed.
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // Already closed.
    }
    sockets.forEach(LoopbackForward::closeQuietly);
  }
}
