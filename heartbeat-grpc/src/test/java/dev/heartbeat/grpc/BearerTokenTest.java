package dev.heartbeat.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.heartbeat.HeartbeatStoreException;
import dev.heartbeat.core.MemoryStore;
import dev.heartbeat.grpc.health.v1.HealthCheckResponse.ServingStatus;
import dev.heartbeat.grpc.v1.Empty;
import dev.heartbeat.grpc.v1.HeartbeatServiceGrpc;
import dev.heartbeat.spi.HeartbeatStore;
import dev.heartbeat.tck.Beats;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A server with a token: calls without {@code authorization: Bearer <token>} are
 * UNAUTHENTICATED with a message that says what is wrong and shows no token; health stays open;
 * the grpc:// store carries the token and shows it nowhere.
 */
class BearerTokenTest {
  private static final String TOKEN = "s3cret-token-of-the-test";

  @Test
  void callsWithoutTheRightBearerTokenAreUnauthenticatedNamingWhatIsWrong() {
    try (MemoryStore memory = new MemoryStore();
        HeartbeatGrpcServer server = HeartbeatGrpcServer.builder(memory).token(TOKEN).start()) {
      ManagedChannel channel = Wire.plaintext(server.port());
      try {
        assertUnauthenticated(channel, null, "the authorization metadata is missing",
            "'authorization: Bearer <token>'");
        assertUnauthenticated(channel, "Basic dXNlcjpwYXNz", "is not a bearer token");
        assertUnauthenticated(channel, "Bearer wrong-guess-123", "is not this server's");
        assertThat(HeartbeatServiceGrpc.newBlockingStub(channel).withInterceptors(
            MetadataUtils.newAttachHeadersInterceptor(authorization("Bearer " + TOKEN)))
            .withDeadlineAfter(5, TimeUnit.SECONDS).describe(Empty.getDefaultInstance())
            .getKeepsTasks()).isTrue();

        assertThat(HealthTest.check(channel, "")).as("health needs no token")
            .isEqualTo(ServingStatus.SERVING);
      } finally {
        channel.shutdownNow();
      }
    }
  }

  private static void assertUnauthenticated(ManagedChannel channel, String header,
      String... says) {
    var stub = HeartbeatServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5,
        TimeUnit.SECONDS);
    var sent = header == null ? stub
        : stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(authorization(header)));
    assertThatThrownBy(() -> sent.register(Wire.beat("a-1", 1)))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
          assertThat(e.getStatus().getDescription()).contains(says)
              .doesNotContain(TOKEN).doesNotContain("wrong-guess-123");
        });
  }

  private static Metadata authorization(String value) {
    Metadata m = new Metadata();
    m.put(BearerAuth.AUTHORIZATION, value);
    return m;
  }

  @Test
  void theGrpcStoreCarriesTheTokenFromItsUriAndShowsItNowhere() {
    try (MemoryStore memory = new MemoryStore();
        HeartbeatGrpcServer server = HeartbeatGrpcServer.builder(memory).token(TOKEN).start()) {
      GrpcStoreProvider provider = new GrpcStoreProvider();
      try (HeartbeatStore store = provider.open(URI.create(server.uri() + "?token=" + TOKEN))) {
        store.register(Beats.plain("a-1", 1));
        assertThat(store.record(Beats.plain("a-1", 2))).isPresent();
        assertThat(memory.agent("a-1")).hasValueSatisfying(h -> assertThat(h.sequence())
            .isEqualTo(2));
        assertThat(store.describe()).doesNotContain(TOKEN);
        assertThat(store.toString()).doesNotContain(TOKEN);
      }
      try (GrpcStore store = GrpcStore.builder("127.0.0.1", server.port()).token(TOKEN)
          .connect()) {
        assertThat(store.agent("a-1")).isPresent();
      }

      assertThatThrownBy(() -> provider.open(URI.create(server.uri())))
          .isInstanceOf(HeartbeatStoreException.class)
          .hasMessageContaining("UNAUTHENTICATED").hasMessageContaining("missing");
      assertThatThrownBy(() -> provider.open(URI.create(server.uri() + "?token=nope-nope")))
          .isInstanceOf(HeartbeatStoreException.class).hasMessageContaining("UNAUTHENTICATED")
          .hasMessageNotContaining("nope-nope");
      assertThatThrownBy(() -> provider.open(URI.create(server.uri() + "?token=" + TOKEN
          + "&colour=blue")))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("colour")
          .hasMessageContaining("token=***").hasMessageNotContaining(TOKEN);
    }
  }

  @Test
  void aTokenThatCannotTravelIsRefusedWithoutShowingIt() {
    try (MemoryStore memory = new MemoryStore()) {
      assertThatThrownBy(() -> HeartbeatGrpcServer.builder(memory).token("has a space"))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token must be")
          .hasMessageNotContaining("has a space");
      assertThatThrownBy(() -> GrpcStore.builder("127.0.0.1", 1).token(""))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("token must not be empty");
    }
  }
}
