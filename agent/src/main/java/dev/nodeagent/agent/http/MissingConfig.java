package dev.nodeagent.agent.http;

import io.helidon.common.GenericType;
import io.helidon.config.Config;
import io.helidon.config.ConfigValue;
import io.helidon.config.ConfigValues;
import io.helidon.config.spi.ConfigMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A Helidon configuration tree with no nodes: every key is missing, as in Helidon's own {@code Config.empty()}.
 * The HTTP server is configured in code; its builders read their configuration (defaults, "discover services"
 * switches) from the config they are given, or from {@code Config.empty()} when given none. That one is
 * a real config built by Helidon's config machinery (sources, overrides, polling, mappers): 172 classes loaded only
 * to answer "missing" (demo run, {@code -Xlog:class+load}); each loaded class costs RSS, since the AOT cache links
 * every class it holds. This node answers the same without them: the same answers as Helidon's
 * {@code EmptyConfig.EmptyNode} (missing type, no value, empty {@link ConfigValue}s, missing children).
 */
final class MissingConfig implements Config {

    static final MissingConfig ROOT = new MissingConfig(new MissingKey(null, ""));

    private final MissingKey key;

    private MissingConfig(MissingKey key) {
        this.key = key;
    }

    @Override
    public Instant timestamp() {
        return Instant.EPOCH;
    }

    @Override
    public Key key() {
        return key;
    }

    @Override
    public Config root() {
        return ROOT;
    }

    @Override
    public Config get(String name) {
        MissingKey k = key.descend(name);
        return k == key ? this : new MissingConfig(k);
    }

    @Override
    public Config get(Key subKey) {
        return get(subKey.toString());
    }

    @Override
    public Config detach() {
        return ROOT;
    }

    @Override
    public Type type() {
        return Type.MISSING;
    }

    @Override
    public boolean exists() {
        return false;
    }

    @Override
    public boolean isLeaf() {
        return false;
    }

    @Override
    public boolean isObject() {
        return false;
    }

    @Override
    public boolean isList() {
        return false;
    }

    @Override
    public boolean hasValue() {
        return false;
    }

    @Override
    public Stream<Config> traverse(Predicate<Config> predicate) {
        return Stream.empty();
    }

    /** Only ever asked to convert a value that exists; there is none. */
    @Override
    public <T> T convert(Class<T> type, String value) {
        throw new UnsupportedOperationException("the HTTP server has no configuration tree to convert values of");
    }

    @Override
    public ConfigMapper mapper() {
        throw new UnsupportedOperationException("the HTTP server has no configuration tree to map values of");
    }

    @Override
    public <T> ConfigValue<T> as(GenericType<T> type) {
        return ConfigValues.empty();
    }

    @Override
    public <T> ConfigValue<T> as(Class<T> type) {
        return ConfigValues.empty();
    }

    @Override
    public <T> ConfigValue<T> as(Function<Config, T> mapper) {
        return ConfigValues.empty();
    }

    @Override
    public <T> ConfigValue<T> map(Function<io.helidon.common.config.Config, T> mapper) {
        return ConfigValues.empty();
    }

    @Override
    public <T> ConfigValue<List<T>> asList(Class<T> type) {
        return ConfigValues.empty();
    }

    @Override
    public <T> ConfigValue<List<T>> asList(Function<Config, T> mapper) {
        return ConfigValues.empty();
    }

    @Override
    public <T> ConfigValue<List<T>> mapList(Function<io.helidon.common.config.Config, T> mapper) {
        return ConfigValues.empty();
    }

    @Override
    public ConfigValue<List<Config>> asNodeList() {
        return ConfigValues.empty();
    }

    @Override
    public ConfigValue<Map<String, String>> asMap() {
        return ConfigValues.empty();
    }

    @Override
    public String toString() {
        return "[" + key + "] MISSING";
    }

    private record MissingKey(MissingKey parentKey, String name) implements Config.Key {

        @Override
        public Key parent() {
            if (parentKey == null) {
                throw new IllegalStateException("Attempting to get parent of a root node. Guard by isRoot instead");
            }
            return parentKey;
        }

        @Override
        public Key child(io.helidon.common.config.Config.Key key) {
            return descend(key.toString());
        }

        /** The key {@code dotted} ("a.b.c") below this one; this one itself when {@code dotted} names nothing. */
        MissingKey descend(String dotted) {
            MissingKey k = this;
            for (String part : dotted.split("\\.")) {
                if (!part.isEmpty()) {
                    k = new MissingKey(k, part);
                }
            }
            return k;
        }

        @Override
        public boolean isRoot() {
            return parentKey == null;
        }

        @Override
        public int compareTo(io.helidon.common.config.Config.Key other) {
            return toString().compareTo(other.toString());
        }

        @Override
        public String toString() {
            return parentKey == null ? "" : parentKey.isRoot() ? name : parentKey + "." + name;
        }
    }
}
