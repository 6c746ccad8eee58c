package io.dcmon.storage.postgres;

import io.dcmon.core.model.Point;
import io.dcmon.core.model.SeriesData;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compares two stores' answers: same series in the same order, same timestamps, same value types (Long stays
 * Long), equal Longs, and Doubles equal up to summation order (relative 1e-9; NaN equals NaN).
 */
final class SameAnswers {

    private SameAnswers() {
    }

    static void assertSame(String what, List<SeriesData> expected, List<SeriesData> actual) {
        assertThat(actual).as(what + ": series").extracting(d -> d.clientId() + " " + d.series())
                .containsExactlyElementsOf(expected.stream().map(d -> d.clientId() + " " + d.series()).toList());
        for (int s = 0; s < expected.size(); s++) {
            List<Point> e = expected.get(s).points();
            List<Point> a = actual.get(s).points();
            String where = what + " " + expected.get(s).series();
            assertThat(a).as(where + ": timestamps").extracting(Point::timestampMs)
                    .containsExactlyElementsOf(e.stream().map(Point::timestampMs).toList());
            for (int i = 0; i < e.size(); i++) {
                Number ev = e.get(i).value();
                Number av = a.get(i).value();
                String at = where + " at " + e.get(i).timestampMs();
                assertThat(av).as(at + ": type").isExactlyInstanceOf(ev.getClass());
                if (ev instanceof Long) {
                    assertThat(av).as(at).isEqualTo(ev);
                } else {
                    double x = ev.doubleValue();
                    double y = av.doubleValue();
                    if (Double.isNaN(x)) {
                        assertThat(y).as(at).isNaN();
                    } else if (Double.isInfinite(x)) {
                        assertThat(y).as(at).isEqualTo(x);
                    } else {
                        assertThat(Math.abs(x - y)).as(at + ": " + y + " vs " + x).isLessThanOrEqualTo(1e-9 * Math.max(1, Math.abs(x)));
                    }
                }
            }
        }
    }
}
