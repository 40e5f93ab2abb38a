# node-agent built with Maven (nixpkgs' maven.buildMavenPackage) and wrapped to run on a nixpkgs JRE.
# The Maven build's own jlink runtime, AOT cache and .deb are skipped: on NixOS the JRE comes from nixpkgs.
# mvnHash pins the Maven dependency closure: after a dependency change, build once, copy the hash nix prints.
{ lib
, maven
, makeWrapper
, jdk21_headless
# nixpkgs' JDK 25 where this nixpkgs has it (the launchers then use compact object headers; AOT caches are not
# shipped in the Nix package); JDK 21 otherwise. The launchers pass JDK-25-only flags only to a runtime whose
# release file says 25 or newer, so either starts (RuntimeAndAotIT checks the flags per version).
, jdk25_headless ? null
, src
, jre ? (if jdk25_headless != null then jdk25_headless else jdk21_headless)
, version ? "0.1.0-SNAPSHOT"
}:

maven.buildMavenPackage {
  pname = "node-agent";
  inherit version src;

  # The JDK Maven runs on; the toolchains plugin accepts it because it is >= 21.
  mvnJdk = jdk21_headless;
  mvnHash = lib.fakeHash;
  mvnParameters = lib.escapeShellArgs [ "-Djlink.skip" "-Daot.skip" "-Ddeb.skip" "-pl" "packaging" "-am" ];
  # Unit tests run in CI; the integration tests need root, network namespaces and external tools.
  doCheck = false;

  nativeBuildInputs = [ makeWrapper ];

  installPhase = ''
    runHook preInstall
    mkdir -p $out/lib/node-agent $out/bin $out/share/node-agent
    cp -r packaging/target/node-agent/{bin,lib,config} $out/lib/node-agent/
    cp -r packaging/prometheus packaging/grafana $out/share/node-agent/
    for p in node-agent agentctl; do
      # The launchers take $JAVA_HOME when there is no bundled runtime.
      makeWrapper $out/lib/node-agent/bin/$p $out/bin/$p --set JAVA_HOME ${jre.home or jre}
    done
    runHook postInstall
  '';

  meta = {
    description = "Reconciling agent for the nodes of small hybrid Kubernetes clusters";
    homepage = "https://github.com/node-agent/node-agent";
    license = lib.licenses.asl20;
    platforms = lib.platforms.linux;
    mainProgram = "node-agent";
  };
}
