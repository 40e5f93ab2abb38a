# node-agent flake. It lives in packaging/nix/ because the repository's top level is fixed (a Maven project);
# use it as   inputs.node-agent.url = "github:node-agent/node-agent?dir=packaging/nix";
# The package is built from the whole repository (src = ../..), which flakes allow for a flake in a subdirectory.
{
  description = "node-agent: keeps the nodes of a small hybrid Kubernetes cluster in their declared state";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";

  outputs = { self, nixpkgs }:
    let
      systems = [ "x86_64-linux" "aarch64-linux" ];
      forAllSystems = f: nixpkgs.lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});
    in
    {
      packages = forAllSystems (pkgs: rec {
        node-agent = pkgs.callPackage ./package.nix { src = ../..; };
        default = node-agent;
      });

      overlays.default = final: prev: {
        node-agent = final.callPackage ./package.nix { src = ../..; };
      };

      nixosModules.default = import ./module.nix { inherit self; };
      nixosModules.node-agent = self.nixosModules.default;

      checks = forAllSystems (pkgs: {
        package = self.packages.${pkgs.stdenv.hostPlatform.system}.node-agent;
      });
    };
}
