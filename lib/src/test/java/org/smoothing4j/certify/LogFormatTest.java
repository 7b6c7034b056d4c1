package org.smoothing4j.certify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogFormatTest {

    @ParameterizedTest
    @CsvSource({
        // Python 3.11: format(v, '.3'), as the reference code's "{:.3}"
        "0.0, 0.0", "0.0628, 0.0628", "0.882, 0.882", "1.2, 1.2", "1.0, 1.0", "3.8114565, 3.81",
        "0.00012345, 0.000123", "1.2345e-05, 1.23e-05", "123.45, 1.23e+02", "1234.5, 1.23e+03",
        "0.1005, 0.101", "2.675, 2.67", "0.5, 0.5", "100.0, 1e+02", "12.345, 12.3", "99.96, 1e+02", "9.996, 10.0",
    })
    void radiusIsFormattedAsPythonsThreeSignificantDigits(double v, String expected) {
        assertEquals(expected, LogFormat.radius(v));
    }

    @Test
    void elapsedTimeIsHoursMinutesSecondsWithHundredths() {
        assertEquals("0:00:00.50", LogFormat.elapsed(0.5));
        assertEquals("1:02:05.10", LogFormat.elapsed(3725.1));
        assertEquals("0:01:00.00", LogFormat.elapsed(59.999));
    }

    @ParameterizedTest
    @CsvSource({
        // Python 3.11: str(datetime.timedelta(seconds=s)), the reference logs' time column
        "0:00:00.500000, 0.5", "0:00:02.345678, 2.345678", "1:02:05.100000, 3725.1",
        "'1 day, 1:01:01.250000', 90061.25", "0:00:03, 3", "0:00:02.35, 2.35", "12.5, 12.5",
    })
    void elapsedTimeParsesAllReferenceFormats(String text, double seconds) {
        assertEquals(seconds, LogFormat.parseElapsed(text), 1e-9);
    }

    @Test
    void garbageTimeIsRejectedWithTheText() {
        assertEquals("not an elapsed time: 'soon' (expected h:mm:ss.ss, Python timedelta or seconds)",
                assertThrows(IllegalArgumentException.class, () -> LogFormat.parseElapsed("soon")).getMessage());
    }
}
