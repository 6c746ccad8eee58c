package io.dcmon.hardware.gpu;

import io.dcmon.hardware.ParseException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Parser for {@code nvidia-smi -q -x} (schema v10 to v13). Uses the JDK's DOM parser with DTD loading and
 * external entities switched off: the document names {@code nvsmi_device_vNN.dtd}, which must never be
 * fetched. Elements are found as direct children only, so the per-instance {@code <mig_devices>} blocks of a
 * MIG-enabled GPU cannot be mistaken for the GPU's own memory. Pure: no process, clock or logging.
 */
public final class NvidiaSmiXml {
    private NvidiaSmiXml() {
    }

    private static final String SOURCE = "nvidia-smi -q -x output";
    /** Creating a factory costs a service lookup; builders are not thread-safe, so one per thread. */
    private static final ThreadLocal<DocumentBuilder> BUILDER = ThreadLocal.withInitial(NvidiaSmiXml::builder);

    /**
     * Everything one document holds.
     *
     * @param driverVersion the driver version, when printed
     * @param gpus          the GPUs in document order (which is nvidia-smi's index order)
     * @param processes     compute and graphics processes of every GPU
     */
    public record Snapshot(Optional<String> driverVersion, List<GpuReading> gpus, List<GpuProcess> processes) {
        public Snapshot {
            gpus = List.copyOf(gpus);
            processes = List.copyOf(processes);
        }
    }

    /** The GPUs of an {@code nvidia-smi -q -x} document. */
    public static List<GpuReading> parse(String xml) {
        return parseSnapshot(xml).gpus();
    }

    /**
     * Parses a whole {@code nvidia-smi -q -x} document.
     *
     * @throws ParseException when the text is not XML or its root is not {@code <nvidia_smi_log>}
     */
    public static Snapshot parseSnapshot(String xml) {
        Document doc;
        try {
            DocumentBuilder b = BUILDER.get();
            b.reset();
            doc = b.parse(new InputSource(new StringReader(xml)));
        } catch (SAXException | IOException e) {
            throw new ParseException(SOURCE, "not well-formed XML (" + e.getMessage() + "); was it run with -q -x?", e);
        }
        Element root = doc.getDocumentElement();
        if (!root.getTagName().equals("nvidia_smi_log")) {
            throw new ParseException(SOURCE, 0, "<" + root.getTagName() + ">", "root element is not <nvidia_smi_log>");
        }
        List<GpuReading> gpus = new ArrayList<>();
        List<GpuProcess> processes = new ArrayList<>();
        for (Element gpu : children(root, "gpu")) {
            GpuReading r = gpu(gpu, gpus.size());
            gpus.add(r);
            for (Element p : children(child(gpu, "processes"), "process_info")) {
                OptionalLong pid = Values.integer(text(p, "pid"));
                if (pid.isPresent()) {
                    processes.add(new GpuProcess(r.uuid(), pid.getAsLong(), Values.text(text(p, "process_name")).orElse(""),
                            Values.mibToBytes(text(p, "used_memory"))));
                }
            }
        }
        return new Snapshot(Values.text(text(root, "driver_version")), gpus, processes);
    }

    private static GpuReading gpu(Element g, int index) {
        GpuReading.Builder b = new GpuReading.Builder();
        b.index = index;
        b.name = Values.text(text(g, "product_name")).orElse("");
        b.uuid = Values.text(text(g, "uuid")).orElse("");
        String busId = Values.text(text(g, "pci", "pci_bus_id")).orElse(g.getAttribute("id"));
        b.pciBusId = busId == null ? "" : busId;
        b.temperature = Values.number(text(g, "temperature", "gpu_temp"));
        b.memoryTemperature = Values.number(text(g, "temperature", "memory_temp"));
        b.utilGpu = Values.number(text(g, "utilization", "gpu_util"));
        b.utilMemory = Values.number(text(g, "utilization", "memory_util"));
        b.memTotal = Values.mibToBytes(text(g, "fb_memory_usage", "total"));
        b.memUsed = Values.mibToBytes(text(g, "fb_memory_usage", "used"));
        b.memFree = Values.mibToBytes(text(g, "fb_memory_usage", "free"));
        // v13 has gpu_power_readings (average/instant), v12 gpu_power_readings/power_draw, v11 power_readings
        Element power = child(g, "gpu_power_readings");
        if (power == null) {
            power = child(g, "power_readings");
        }
        b.powerDraw = first(Values.number(text(power, "power_draw")), Values.number(text(power, "average_power_draw")),
                Values.number(text(power, "instant_power_draw")));
        b.powerLimit = first(Values.number(text(power, "current_power_limit")), Values.number(text(power, "enforced_power_limit")),
                Values.number(text(power, "power_limit")));
        b.fan = Values.number(text(g, "fan_speed"));
        b.smClock = Values.integer(text(g, "clocks", "sm_clock"));
        b.memClock = Values.integer(text(g, "clocks", "mem_clock"));
        b.grClock = Values.integer(text(g, "clocks", "graphics_clock"));
        b.pstate = Values.text(text(g, "performance_state"));
        b.pcieGen = Values.smallInt(text(g, "pci", "pci_gpu_link_info", "pcie_gen", "current_link_gen"));
        b.pcieWidth = Values.smallInt(text(g, "pci", "pci_gpu_link_info", "link_widths", "current_link_width"));
        b.clockEvents = clockEvents(g);
        Element volatileEcc = child(child(g, "ecc_errors"), "volatile");
        b.eccCorrected = ecc(volatileEcc, true);
        b.eccUncorrected = ecc(volatileEcc, false);
        b.retiredSbe = Values.integer(text(g, "retired_pages", "multiple_single_bit_retirement", "retired_count"));
        b.retiredDbe = Values.integer(text(g, "retired_pages", "double_bit_retirement", "retired_count"));
        b.retiredPending = Values.bool(text(g, "retired_pages", "pending_retirement"));
        b.remapCorr = Values.integer(text(g, "remapped_rows", "remapped_row_corr"));
        b.remapUnc = Values.integer(text(g, "remapped_rows", "remapped_row_unc"));
        b.remapPending = Values.bool(text(g, "remapped_rows", "remapped_row_pending"));
        b.remapFailure = Values.bool(text(g, "remapped_rows", "remapped_row_failure"));
        b.mig = Values.text(text(g, "mig_mode", "current_mig"));
        return b.build();
    }

    /** The bitmask of active reasons from {@code <clocks_event_reasons>} (v13) or {@code <clocks_throttle_reasons>}. */
    private static OptionalLong clockEvents(Element g) {
        Element reasons = child(g, "clocks_event_reasons");
        String prefix = "clocks_event_reason_";
        if (reasons == null) {
            reasons = child(g, "clocks_throttle_reasons");
            prefix = "clocks_throttle_reason_";
        }
        if (reasons == null) {
            return OptionalLong.empty();
        }
        long mask = 0;
        boolean any = false;
        for (Element e : children(reasons, null)) {
            String tag = e.getTagName();
            ClockEventReason r = tag.startsWith(prefix) ? ClockEventReason.byLabel(tag.substring(prefix.length())) : null;
            Optional<Boolean> active = Values.bool(e.getTextContent());
            if (r != null && active.isPresent()) {
                any = true;
                if (active.get()) {
                    mask |= r.bit();
                }
            }
        }
        return any ? OptionalLong.of(mask) : OptionalLong.empty();
    }

    /**
     * Volatile ECC totals: {@code single_bit/total} and {@code double_bit/total} before Volta-era schemas,
     * later the sum of the {@code *_correctable} or {@code *_uncorrectable*} counters. Absent when none is a number
     * (ECC off, or a board without ECC).
     */
    private static OptionalLong ecc(Element vol, boolean corrected) {
        if (vol == null) {
            return OptionalLong.empty();
        }
        Element legacy = child(vol, corrected ? "single_bit" : "double_bit");
        if (legacy != null) {
            return Values.integer(text(legacy, "total"));
        }
        long sum = 0;
        boolean any = false;
        for (Element e : children(vol, null)) {
            String tag = e.getTagName();
            boolean unc = tag.contains("uncorrectable");
            boolean corr = !unc && tag.endsWith("_correctable");
            if (corrected ? corr : unc) {
                OptionalLong v = Values.integer(e.getTextContent());
                if (v.isPresent()) {
                    sum += v.getAsLong();
                    any = true;
                }
            }
        }
        return any ? OptionalLong.of(sum) : OptionalLong.empty();
    }

    private static OptionalDouble first(OptionalDouble... options) {
        for (OptionalDouble o : options) {
            if (o.isPresent()) {
                return o;
            }
        }
        return OptionalDouble.empty();
    }

    /** The text at a path of direct children, or null when any step is missing. */
    private static String text(Element e, String... path) {
        Element cur = e;
        for (String p : path) {
            cur = child(cur, p);
            if (cur == null) {
                return null;
            }
        }
        return cur.getTextContent();
    }

    private static Element child(Element e, String name) {
        if (e == null) {
            return null;
        }
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && c.getTagName().equals(name)) {
                return c;
            }
        }
        return null;
    }

    private static List<Element> children(Element e, String name) {
        List<Element> out = new ArrayList<>();
        if (e == null) {
            return out;
        }
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element c && (name == null || c.getTagName().equals(name))) {
                out.add(c);
            }
        }
        return out;
    }

    /** A DOM builder that never loads the DTD or any external entity (XXE-safe), but accepts the DOCTYPE line. */
    private static DocumentBuilder builder() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            f.setNamespaceAware(false);
            f.setValidating(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(new org.xml.sax.ErrorHandler() {
                @Override
                public void warning(org.xml.sax.SAXParseException e) {
                    // warnings about the unloaded DTD are expected
                }

                @Override
                public void error(org.xml.sax.SAXParseException e) {
                    // validity errors do not matter: the parser does not validate
                }

                @Override
                public void fatalError(org.xml.sax.SAXParseException e) throws org.xml.sax.SAXParseException {
                    throw e;
                }
            });
            b.setEntityResolver((publicId, systemId) -> new InputSource(new StringReader("")));
            return b;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK XML parser does not support secure processing: " + e.getMessage(), e);
        }
    }
}
