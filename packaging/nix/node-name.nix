# Whether NAME can be a Kubernetes node name: a lowercase RFC 1123 subdomain (what the API server accepts for a
# Node and what `node-agent check-config` requires). Pure Nix, no nixpkgs: module.nix asserts with it at
# evaluation time, and NixFilesIT evaluates it with nix-instantiate on sample host names.
name:
builtins.isString name
&& builtins.stringLength name <= 253
&& builtins.match "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*" name != null
