package dev.aura.token;

import static dev.aura.token.RejectionAssert.rejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aura.spi.Role;
import dev.aura.spi.WorkspaceName;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The optional {@code workspaces} claim: which workspaces a peer joining with the token may use. */
class WorkspacesClaimTest {
  private static final WorkspaceName WIDGET = WorkspaceName.parse("widget");
  private static final WorkspaceName API = WorkspaceName.parse("api");
  private final Harness h = Harness.ed25519();

  WorkspacesClaimTest() throws Exception {}

  private Map<String, Object> signedClaims(String token) throws TokenRejectedException {
    return TypedJws.verify(token, TokenType.JOIN, h.ring.publicKeys(), TypedJws.DEFAULT_ALGORITHMS,
        h.clock.instant()).claims().asMap();
  }

  @Test
  void issue_withWorkspaces_writesTheSortedNames_andAdmitReturnsThem() throws Exception {
    IssuedJoinToken t = h.issuer.issue(JoinTokenRequest.forSubject("carol@contractor.com").workspace(WIDGET)
        .workspace(API).build());

    assertThat(signedClaims(t.token())).containsEntry("workspaces", List.of("api", "widget"));
    VerifiedJoinToken admitted = h.validator.admit(t.token());
    assertThat(admitted.workspaces()).containsExactly(API, WIDGET);
    assertThat(admitted.toString()).contains("workspaces=[api, widget]");
  }

  @Test
  void issue_withoutWorkspaces_omitsTheClaim_andVerifiedMeansEveryWorkspace() throws Exception {
    IssuedJoinToken t = h.issue();

    assertThat(signedClaims(t.token())).doesNotContainKey("workspaces");
    assertThat(h.validator.verify(t.token()).workspaces()).isEmpty();
  }

  @Test
  void builder_workspacesSet_isTheSameAsRepeatedWorkspace_andAnEmptySetRestrictsNothing() {
    JoinTokenRequest bySet = JoinTokenRequest.forSubject("a@acme.com").workspaces(Set.of(WIDGET, API)).build();
    JoinTokenRequest repeated = JoinTokenRequest.forSubject("a@acme.com").workspace(API).workspace(WIDGET).build();

    assertThat(bySet).isEqualTo(repeated);
    assertThat(bySet.workspaces()).containsExactly(API, WIDGET);
    assertThat(JoinTokenRequest.forSubject("a@acme.com").workspaces(Set.of()).build().workspaces()).isEmpty();
    assertThat(new JoinTokenRequest("a@acme.com", Role.MEMBER, JoinTokenRequest.DEFAULT_EXPIRY, 1).workspaces())
        .isEmpty();
  }

  @Test
  void builder_withTheSameWorkspaceTwice_isAUsageErrorNamingIt() {
    assertThatThrownBy(() -> JoinTokenRequest.forSubject("a@acme.com").workspace(WIDGET).workspace(WIDGET))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("--workspace widget is given twice");
  }

  @Test
  void builder_with32Workspaces_builds_andWith33_isAUsageError() {
    JoinTokenRequest.Builder b = JoinTokenRequest.forSubject("a@acme.com");
    for (int i = 0; i < 32; i++) {
      b.workspace(WorkspaceName.parse("ws" + i));
    }
    assertThat(b.build().workspaces()).hasSize(32);

    b.workspace(WorkspaceName.parse("ws32"));
    assertThatThrownBy(b::build).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("--workspace is given 33 times; a token names at most 32 workspaces");
  }

  private TokenRejectedException rejectedWith(Object workspaces) {
    Map<String, Object> claims = h.claims();
    claims.put("workspaces", workspaces);
    String token = h.forge(claims);
    return rejected(() -> h.validator.verify(token), RejectionReason.MALFORMED);
  }

  @Test
  void validate_withWorkspacesAsAString_isRejectedAsMalformed() {
    assertThat(rejectedWith("widget").getMessage())
        .isEqualTo("malformed token: claim 'workspaces' must be an array, found a string");
  }

  @Test
  void validate_withWorkspacesNullOrAnObject_isRejectedAsMalformed() {
    assertThat(rejectedWith(null).getMessage()).isEqualTo("malformed token: claim 'workspaces' is null");
    assertThat(rejectedWith(Map.of("widget", true)).getMessage())
        .isEqualTo("malformed token: claim 'workspaces' must be an array, found an object");
  }

  @Test
  void validate_withAnEmptyWorkspacesArray_isRejectedAsMalformed() {
    assertThat(rejectedWith(List.of()).getMessage()).isEqualTo("malformed token: claim 'workspaces' is an"
        + " empty array (a token for every workspace omits the claim)");
  }

  @Test
  void validate_withANonStringEntry_isRejectedNamingItsPosition() {
    assertThat(rejectedWith(List.of("widget", 7L)).getMessage())
        .isEqualTo("malformed token: claim 'workspaces' entry 2 must be a string, found an integer");
    assertThat(rejectedWith(Arrays.asList("widget", null)).getMessage())
        .isEqualTo("malformed token: claim 'workspaces' entry 2 must be a string, found null");
    assertThat(rejectedWith(List.of(List.of("widget"))).getMessage())
        .isEqualTo("malformed token: claim 'workspaces' entry 1 must be a string, found an array");
  }

  @Test
  void validate_withAnInvalidWorkspaceName_isRejectedNamingTheClaim() {
    assertThat(rejectedWith(List.of("Widget")).getMessage())
        .startsWith("malformed token: claim 'workspaces': invalid workspace name 'Widget'");
    assertThat(rejectedWith(List.of("")).getMessage())
        .startsWith("malformed token: claim 'workspaces': invalid workspace name ''");
    assertThat(rejectedWith(List.of("-x")).getMessage())
        .startsWith("malformed token: claim 'workspaces': invalid workspace name '-x'");
  }

  @Test
  void validate_withADuplicateWorkspace_isRejectedAsMalformed() {
    assertThat(rejectedWith(List.of("widget", "api", "widget")).getMessage())
        .isEqualTo("malformed token: claim 'workspaces' names 'widget' twice");
  }

  @Test
  void validate_with33Workspaces_isRejected_and32AreAccepted() throws Exception {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 33; i++) {
      names.add("ws" + i);
    }
    assertThat(rejectedWith(names).getMessage())
        .isEqualTo("malformed token: claim 'workspaces' names 33 workspaces, at most 32");

    Map<String, Object> claims = h.claims();
    claims.put("workspaces", names.subList(0, 32));
    assertThat(h.validator.verify(h.forge(claims)).workspaces()).hasSize(32);
  }

  @Test
  void validate_withUnsortedWorkspaces_acceptsThemAndReturnsThemInNameOrder() throws Exception {
    Map<String, Object> claims = h.claims();
    claims.put("workspaces", List.of("widget", "api"));

    Set<WorkspaceName> found = h.validator.verify(h.forge(claims)).workspaces();

    assertThat(found).containsExactly(API, WIDGET);
  }

  @Test
  void decode_showsTheWorkspacesClaim() throws Exception {
    String token = h.issuer.issue(JoinTokenRequest.forSubject("a@acme.com").workspace(WIDGET).build()).token();

    assertThat(TokenDecoder.decode(token).claims().orElseThrow()).containsEntry("workspaces", List.of("widget"));
  }
}
