# node-agent built with nixpkgs' Maven, offline, on a Maven repository made from maven-lock.txt (every jar and pom
# the build reads: dependencies, plugins and the plugins' dependencies, each fetched from Maven Central by its
# sha256), and wrapped to run on a nixpkgs JRE. The Maven build's own jlink runtime, AOT cache and .deb are
# skipped: on NixOS the JRE comes from nixpkgs. After a dependency or plugin change run packaging/nix/maven-lock.sh
# (NixMavenLockIT fails until the lock matches the poms).
#
# Not buildMavenPackage: its dependencies are one fixed-output derivation whose hash (mvnHash) covers Maven's whole
# download, so it changes with any dependency, cannot be produced without Nix and an online build, and says nothing
# about what is inside. Here each artifact is its own fetchurl with the hash from the lock, the build command is
# maven-build.sh (the one the lock is generated and tested with), and the lock is checked in CI without Nix.
{ lib
, stdenv
, fetchurl
, linkFarm
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

let
  # The offline repository: REPO/PATH links to each locked file. No _remote.repositories files, so Maven treats
  # every artifact as present locally and never asks which repository it came from (NixMavenLockIT builds on such
  # a tree, read-only and without network).
  mavenRepository = linkFarm "node-agent-maven-repository" (map
    (artifact: {
      name = artifact.path;
      path = fetchurl {
        url = "https://repo.maven.apache.org/maven2/${artifact.path}";
        inherit (artifact) sha256;
      };
    })
    (import ./maven-lock.nix));
in
stdenv.mkDerivation {
  pname = "node-agent";
  inherit version src;

  nativeBuildInputs = [ maven makeWrapper ];

  # The JDK Maven runs and compiles on; the toolchains plugin accepts it as it is because it is >= 21.
  JAVA_HOME = jdk21_headless.home or jdk21_headless;

  buildPhase = ''
    runHook preBuild
    # Unit tests run in CI (they are compiled here, not run); the integration tests need root, network
    # namespaces and external tools.
    MVN=mvn sh packaging/nix/maven-build.sh ${mavenRepository} -o
    runHook postBuild
  '';

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

  passthru = { inherit mavenRepository; };

  meta = {
    description = "Reconciling agent for the nodes of small hybrid Kubernetes clusters";
    homepage = "https://github.com/node-agent/node-agent";
    license = lib.licenses.asl20;
    platforms = lib.platforms.linux;
    mainProgram = "node-agent";
  };
}
