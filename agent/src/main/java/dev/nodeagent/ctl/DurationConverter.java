package dev.nodeagent.ctl;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** picocli converter for {@code 30s}, {@code 2m}, {@code 1h30m}, {@code 500ms}; a bad value is a usage error (exit 2). */
final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            Duration d = Ages.parse(value);
            if (d.isZero()) {
                throw new TypeConversionException("must be more than 0");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
