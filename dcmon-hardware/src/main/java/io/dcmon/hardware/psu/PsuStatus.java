package io.dcmon.hardware.psu;

import java.util.Locale;
import java.util.OptionalInt;

/**
 * The {@code psu_status} number of a module, from pminfo's Status row ({@code OK}, {@code [STATUS OK](00h)},
 * {@code [UNIT IS OFF] (40h)}, {@code [VIN_UV_FAULT][UNIT IS OFF] (48h)}). The hex byte is the PMBus
 * STATUS_BYTE: 0x80 BUSY, 0x40 OFF, 0x20 VOUT_OV_FAULT, 0x10 IOUT_OC_FAULT, 0x08 VIN_UV_FAULT,
 * 0x04 TEMPERATURE, 0x02 CML, 0x01 NONE_OF_THE_ABOVE.
 *
 * <table>
 *   <caption>psu_status values (worst condition wins)</caption>
 *   <tr><th>value</th><th>meaning</th><th>from</th></tr>
 *   <tr><td>0</td><td>ok</td><td>{@code OK}, {@code STATUS OK}, byte 0x00</td></tr>
 *   <tr><td>1</td><td>warning</td><td>BUSY or NONE_OF_THE_ABOVE (some other status bit) only</td></tr>
 *   <tr><td>2</td><td>off</td><td>OFF without a fault bit (a redundant module switched off, or cold standby)</td></tr>
 *   <tr><td>3</td><td>fault</td><td>VOUT_OV, IOUT_OC, VIN_UV, TEMPERATURE or CML</td></tr>
 * </table>
 * A Status text that is neither a known word nor carries a byte has no value (no sample).
 */
public final class PsuStatus {

    /** ok. */
    public static final int OK = 0;
    /** warning. */
    public static final int WARNING = 1;
    /** off. */
    public static final int OFF = 2;
    /** fault. */
    public static final int FAULT = 3;

    private static final int FAULT_BITS = 0x20 | 0x10 | 0x08 | 0x04 | 0x02;

    private PsuStatus() {
    }

    /** The status value for a STATUS_BYTE. */
    public static int ofStatusByte(int statusByte) {
        if ((statusByte & FAULT_BITS) != 0) {
            return FAULT;
        }
        if ((statusByte & 0x40) != 0) {
            return OFF;
        }
        return statusByte == 0 ? OK : WARNING;
    }

    /** The status value for the Status row: from its byte when present, else from the word; empty when unknown. */
    public static OptionalInt of(String statusText, OptionalInt statusByte) {
        if (statusByte.isPresent()) {
            return OptionalInt.of(ofStatusByte(statusByte.getAsInt()));
        }
        String t = statusText.strip().toUpperCase(Locale.ROOT);
        if (t.equals("OK") || t.contains("STATUS OK")) {
            return OptionalInt.of(OK);
        }
        if (t.contains("FAULT")) {
            return OptionalInt.of(FAULT);
        }
        if (t.contains("OFF")) {
            return OptionalInt.of(OFF);
        }
        return OptionalInt.empty();
    }
}
