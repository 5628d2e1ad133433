package dev.heartbeat.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Pins the module: heartbeat-grpc is dev.heartbeat.grpc, exports its package and the generated
 * one, needs the API and gRPC but not the engine, provides the grpc store, and makes public only
 * the server, the store, their builders and the provider; the health service's generated
 * package stays inside.
 */
class ModuleDescriptorTest {
  @Test
  void moduleIsDevHeartbeatGrpcOnTheApiAndGrpc() throws Exception {
    try (InputStream in = Files.newInputStream(Path.of("target/classes/module-info.class"))) {
      ModuleDescriptor d = ModuleDescriptor.read(in);
      assertThat(d.name()).isEqualTo("dev.heartbeat.grpc");
      assertThat(d.exports()).extracting(ModuleDescriptor.Exports::source)
          .containsExactlyInAnyOrder("dev.heartbeat.grpc", "dev.heartbeat.grpc.v1")
          .doesNotContain("dev.heartbeat.grpc.health.v1");
      assertThat(d.exports()).noneMatch(ModuleDescriptor.Exports::isQualified);
      assertThat(d.requires()).extracting(ModuleDescriptor.Requires::name)
          .contains("dev.heartbeat", "io.grpc", "io.grpc.netty.shaded", "com.google.protobuf")
          .doesNotContain("dev.heartbeat.core");
      assertThat(d.provides()).singleElement().satisfies(p -> {
        assertThat(p.service()).isEqualTo("dev.heartbeat.spi.HeartbeatStoreProvider");
        assertThat(p.providers()).containsExactly("dev.heartbeat.grpc.GrpcStoreProvider");
      });
    }
  }

  @Test
  void onlyTheServerTheStoreAndItsProviderArePublic() throws Exception {
    List<String> publicTypes;
    try (Stream<Path> files = Files.list(Path.of("target/classes/dev/heartbeat/grpc"))) {
      publicTypes = files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".class") && !n.contains("$"))
          .map(n -> "dev.heartbeat.grpc." + n.substring(0, n.length() - 6))
          .filter(ModuleDescriptorTest::isPublic).sorted().toList();
    }
    assertThat(publicTypes).containsExactly("dev.heartbeat.grpc.GrpcStore",
        "dev.heartbeat.grpc.GrpcStoreBuilder", "dev.heartbeat.grpc.GrpcStoreProvider",
        "dev.heartbeat.grpc.HeartbeatGrpcServer", "dev.heartbeat.grpc.HeartbeatGrpcServerBuilder");
  }

  private static boolean isPublic(String className) {
    try {
      return Modifier.isPublic(Class.forName(className).getModifiers());
    } catch (ClassNotFoundException e) {
      throw new AssertionError(e);
    }
  }
}
