package io.dcmon.hardware.gpu;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One file of nvidia-smi/errors/: "# command:", "# exit status:", "# stdout:" then the output, "# stderr:" then
 * the error output.
 */
record ErrorFixture(String command, int exitStatus, String stdout, String stderr) {

    private static final Pattern FORMAT = Pattern.compile(
            "# command: (.*)\n# exit status: (\\d+)\n# stdout:\n(.*)# stderr:\n(.*)", Pattern.DOTALL);

    static ErrorFixture parse(String text) {
        Matcher m = FORMAT.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not an error fixture: " + text);
        }
        return new ErrorFixture(m.group(1), Integer.parseInt(m.group(2)), m.group(3), m.group(4));
    }
}
