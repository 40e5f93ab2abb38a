# NixOS module: services.node-agent, in the style of nixpkgs' services.prometheus.exporters.*:
# enable / package / listenAddress / port / openFirewall / settings (RFC 42: pkgs.formats.yaml, freeform),
# plus identityPaths, bundle and hooks for the cert-bundle reconciler. The systemd hardening is the same as
# systemd/node-agent.service in the repository.
{ self }:
{ config, lib, pkgs, ... }:

let
  cfg = config.services.node-agent;
  format = pkgs.formats.yaml { };
  configFile = format.generate "node-agent.yaml" cfg.settings;
  homeIdentities = lib.filter (p: lib.hasPrefix "/root/" p || lib.hasPrefix "/home/" p) cfg.identityPaths;
  inherit (lib) mkOption mkEnableOption mkIf types literalExpression;
in
{
  options.services.node-agent = {
    enable = mkEnableOption "node-agent, the reconciling agent for this Kubernetes node";

    package = mkOption {
      type = types.package;
      default = self.packages.${pkgs.stdenv.hostPlatform.system}.node-agent;
      defaultText = literalExpression "node-agent.packages.\${system}.node-agent";
      description = "The node-agent package.";
    };

    listenAddress = mkOption {
      type = types.str;
      default = "127.0.0.1";
      example = "100.64.0.11";
      description = "Address of the HTTP endpoints (/status, /metrics); the tailnet address lets a central Prometheus scrape it.";
    };

    port = mkOption {
      type = types.port;
      default = 9478;
      description = "Port of the HTTP endpoints.";
    };

    openFirewall = mkOption {
      type = types.bool;
      default = false;
      description = "Open `port` in the firewall (on `firewallInterface` only, when set).";
    };

    firewallInterface = mkOption {
      type = types.nullOr types.str;
      default = null;
      example = "tailscale0";
      description = "Open the port only on this interface (e.g. the tailnet) instead of on all.";
    };

    role = mkOption {
      type = types.enum [ "worker" "control-plane" ];
      default = "worker";
      description = "The node's role; decides which reconcilers run by default.";
    };

    bundle = mkOption {
      type = types.nullOr types.path;
      default = null;
      example = literalExpression "./secrets/k8s";
      description = ''
        The age-encrypted certificate bundle in your repository (agenix style: keys encrypted to each host's SSH
        host key). It is copied to the Nix store, which is fine because it is encrypted; the cert-bundle
        reconciler decrypts this host's part with `identityPaths` into /run/node-agent/certs (tmpfs).
      '';
    };

    identityPaths = mkOption {
      type = types.listOf types.str;
      default = map (k: k.path) (lib.filter (k: k.type == "ed25519" || k.type == "rsa") config.services.openssh.hostKeys);
      defaultText = literalExpression "the ed25519 and rsa keys of services.openssh.hostKeys";
      description = "Private keys that may decrypt the bundle (like agenix's age.identityPaths).";
    };

    hooks = mkOption {
      type = types.listOf (types.submodule {
        options = {
          command = mkOption { type = types.either types.str (types.listOf types.str); description = "Command to run: a string is one shell command line (run with /bin/sh -c), a list is [program arg ...] run without a shell."; };
          timeout = mkOption { type = types.str; default = "30s"; description = "Duration after which it is killed (the agent's default, 30s)."; };
        };
      });
      default = [ ];
      example = literalExpression ''[ { command = "systemctl try-restart kubelet.service"; } ]'';
      description = "Commands run once after each switch to a new certificate generation (never otherwise).";
    };

    settings = mkOption {
      type = types.submodule {
        freeformType = format.type;
      };
      default = { };
      example = literalExpression ''
        {
          reconcilers.cniIpamLink.interval = "5s";
          log.level = "debug";
        }
      '';
      description = ''
        node-agent's configuration (/etc/node-agent/agent.yaml), see the README's "Configuration". Merged over
        what the options above set; anything here wins. Checked with `node-agent check-config` at build time.
      '';
    };

    extraJavaOptions = mkOption {
      type = types.listOf types.str;
      default = [ ];
      example = [ "-Xmx96m" ];
      description = "Extra JVM flags (appended to the launcher's lean defaults, so they win).";
    };
  };

  config = mkIf cfg.enable {
    services.node-agent.settings = {
      node.name = lib.mkDefault config.networking.hostName;
      # The group created below is the one whose members may use agentctl (the README's extraGroups).
      controlSocketGroup = lib.mkDefault "node-agent";
      node.role = lib.mkDefault cfg.role;
      http.listen = lib.mkDefault "${if lib.hasInfix ":" cfg.listenAddress then "[${cfg.listenAddress}]" else cfg.listenAddress}:${toString cfg.port}";
      reconcilers.certBundle = lib.mkIf (cfg.bundle != null) {
        secretsDir = lib.mkDefault "${cfg.bundle}";
        identities = lib.mkDefault cfg.identityPaths;
        hooks = lib.mkDefault cfg.hooks;
      };
    };

    # networking.hostName may be "" (DHCP-named hosts) or upper case; check-config would then fail deep in the
    # build with a Java message. Say what to set instead, at evaluation time.
    assertions = [{
      assertion = import ./node-name.nix (cfg.settings.node.name or "");
      message = "services.node-agent: the node name '${toString (cfg.settings.node.name or "")}' (from "
        + "networking.hostName unless services.node-agent.settings.node.name is set) is not a lower-case DNS name "
        + "(RFC 1123) as Kubernetes requires; set services.node-agent.settings.node.name, e.g. \"laptop1\".";
    }];

    environment.systemPackages = [ cfg.package ];
    environment.etc."node-agent/agent.yaml".source = configFile;

    # agentctl talks to the control socket; members of this group may use it.
    users.groups.node-agent = { };

    networking.firewall = mkIf cfg.openFirewall (
      if cfg.firewallInterface == null
      then { allowedTCPPorts = [ cfg.port ]; }
      else { interfaces.${cfg.firewallInterface}.allowedTCPPorts = [ cfg.port ]; }
    );

    system.checks = [
      (pkgs.runCommand "node-agent-check-config" { } ''
        ${cfg.package}/bin/node-agent check-config ${configFile} && touch $out
      '')
    ];

    systemd.services.node-agent = {
      description = "node-agent: keeps this Kubernetes node in its declared state";
      documentation = [ "https://github.com/node-agent/node-agent" ];
      wantedBy = [ "multi-user.target" ];
      wants = [ "network-online.target" ];
      after = [ "network-online.target" ];
      restartTriggers = [ configFile ];
      path = [ pkgs.iproute2 pkgs.systemd ];
      environment = {
        NODE_AGENT_NATIVE_DIR = "/var/lib/node-agent";
        NODE_AGENT_JAVA_OPTS = lib.concatStringsSep " " ([ "-XX:+ExitOnOutOfMemoryError" ] ++ cfg.extraJavaOptions);
      };
      unitConfig.StartLimitIntervalSec = 0;
      serviceConfig = {
        Type = "notify";
        NotifyAccess = "main";
        ExecStart = "${cfg.package}/bin/node-agent run --config /etc/node-agent/agent.yaml";
        TimeoutStartSec = "120s";
        TimeoutStopSec = "30s";
        WatchdogSec = "30s";
        Restart = "on-failure";
        RestartSec = "5s";
        RuntimeDirectory = "node-agent";
        RuntimeDirectoryPreserve = "restart";
        RuntimeDirectoryMode = "0755";
        StateDirectory = "node-agent";
        StateDirectoryMode = "0700";
        UMask = "0077";
        User = "root";
        # the same hardening as systemd/node-agent.service
        ProtectSystem = "strict";
        ReadWritePaths = [ "-/etc/kubernetes" "-/var/lib/kubelet" "-/var/lib/kube-proxy" "-/var/lib/kubernetes"
          "-/etc/cni/net.d" "-/var/lib/cni/net.d" "-/opt/cni/bin" ];
        # Identities under /root or /home (e.g. /root/.ssh/<name>_key) would be hidden by ProtectHome: home dirs
        # become empty read-only tmpfs and only those key files are bound back, read-only.
        BindReadOnlyPaths = map (p: "-" + p) homeIdentities;
        ProtectHome = if homeIdentities == [ ] then true else "tmpfs";
        PrivateTmp = true;
        PrivateMounts = true;
        PrivateDevices = true;
        DevicePolicy = "closed";
        NoNewPrivileges = true;
        CapabilityBoundingSet = [ "CAP_CHOWN" "CAP_FOWNER" "CAP_DAC_OVERRIDE" "CAP_NET_ADMIN" ];
        AmbientCapabilities = "";
        RestrictAddressFamilies = [ "AF_UNIX" "AF_INET" "AF_INET6" "AF_NETLINK" ];
        SystemCallFilter = [ "@system-service" ];
        SystemCallErrorNumber = "EPERM";
        SystemCallArchitectures = "native";
        MemoryDenyWriteExecute = false; # the JIT needs W+X pages
        LockPersonality = true;
        RestrictRealtime = true;
        RestrictSUIDSGID = true;
        RestrictNamespaces = true;
        RemoveIPC = true;
        ProtectClock = true;
        ProtectHostname = true;
        ProtectKernelModules = true;
        ProtectKernelLogs = true;
        ProtectControlGroups = true;
        ProtectKernelTunables = false; # the node-prereqs reconciler sets sysctls
        ProtectProc = "default";
      };
    };
  };
}
