# maven-lock.txt (written by maven-lock.sh: "SHA256  REPOSITORY/PATH" per line, `sha256sum` format) as a list of
# { path; sha256; }. Builtins only, so `nix-instantiate --eval` checks it without nixpkgs (NixFilesIT does).
let
  text = builtins.readFile ./maven-lock.txt;
  lines = builtins.filter (l: builtins.isString l && l != "") (builtins.split "\n" text);
  entry = line:
    let m = builtins.match "([0-9a-f]{64})  ([A-Za-z0-9._/+-]+)" line;
    in if m == null then throw "maven-lock.txt: not 'SHA256  PATH': '${line}'"
       else { sha256 = builtins.elemAt m 0; path = builtins.elemAt m 1; };
in
map entry lines
