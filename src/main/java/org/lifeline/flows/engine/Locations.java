package org.lifeline.flows.engine;

import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import mil.nga.grid.features.Point;
import mil.nga.mgrs.MGRS;
import mil.nga.mgrs.grid.GridType;

/**
 * Turns a location answer into fields under one name: {@code name.kind} ({@code shared}, {@code decimal},
 * {@code mgrs}, {@code other-grid} or {@code place}) and, when coordinates are known, {@code name.lat},
 * {@code name.lon} and {@code name.mgrs} (coordinators work with both); {@code name} itself holds a one-line summary.
 * Coordinates in another system (Russian units use SK-42 rectangular coordinates and grid squares) are kept as
 * typed, as {@code other-grid}, for the coordinator to convert.
 */
final class Locations {

    private static final String NUMBER = "([+-]?\\d{1,3}(?:[.,]\\d+)?)";
    /** {@code 48.0159, 37.8029}, {@code 48,0159 37,8029} or {@code 48.0159;37.8029}: decimal commas are common. */
    private static final Pattern DECIMAL = Pattern.compile(NUMBER + "\\s*(?:[;,]\\s*|\\s+)" + NUMBER);
    /** Zone, band, 100 km square and 1 to 5 digits each of easting and northing, spaces removed. */
    private static final Pattern GRID = Pattern.compile("\\d{1,2}[C-HJ-NP-X][A-HJ-NP-Z]{2}(\\d\\d){1,5}");
    /** Two numbers of four or more digits: rectangular coordinates such as SK-42 {@code X=5412345 Y=7345678}. */
    private static final Pattern OTHER_GRID = Pattern.compile(".*\\d{4,}\\D+\\d{4,}.*");
    static final int PLACE_MAX = 200;

    /**
     * The examples the location question shows: a point in the open Black Sea, where nobody waiting for a
     * handover can be, so that an example pasted back is recognised and refused rather than taken as his position.
     */
    public static final String EXAMPLE_DECIMAL = "43.1234, 33.5678";
    public static final String EXAMPLE_MGRS = "36T WN 46187 74674";
    private static final double EXAMPLE_LATITUDE = 43.1234;
    private static final double EXAMPLE_LONGITUDE = 33.5678;
    /** About a kilometre: an example retyped with fewer digits is still the example. */
    private static final double EXAMPLE_TOLERANCE = 0.01;

    private Locations() {
    }

    /** Whether a typed answer is one of the examples (or a point next to it), not a real position. */
    static boolean isExample(String text) {
        var fields = typed("example", text);
        if (fields == null || fields.get("example.lat") == null) {
            return false;
        }
        return Math.abs(Double.parseDouble(fields.get("example.lat")) - EXAMPLE_LATITUDE) < EXAMPLE_TOLERANCE
                && Math.abs(Double.parseDouble(fields.get("example.lon")) - EXAMPLE_LONGITUDE) < EXAMPLE_TOLERANCE;
    }

    static Map<String, String> shared(String name, double latitude, double longitude) {
        return coordinates(name, "shared", latitude, longitude, mgrs(latitude, longitude));
    }

    /**
     * The fields for a typed answer, or null when it is not a usable location: empty, far too long, or decimal
     * coordinates that cannot exist (a latitude beyond 90°, a longitude beyond 180°).
     */
    static Map<String, String> typed(String name, String text) {
        var trimmed = text.strip();
        var decimal = DECIMAL.matcher(trimmed);
        if (decimal.matches()) {
            double latitude = Double.parseDouble(decimal.group(1).replace(',', '.'));
            double longitude = Double.parseDouble(decimal.group(2).replace(',', '.'));
            if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) {
                return null;
            }
            return coordinates(name, "decimal", latitude, longitude, mgrs(latitude, longitude));
        }
        var grid = trimmed.replaceAll("\\s+", "").toUpperCase(Locale.ROOT);
        if (GRID.matcher(grid).matches()) {
            try {
                var parsed = MGRS.parse(grid);
                var point = parsed.toPoint();
                return coordinates(name, "mgrs", point.getLatitude(), point.getLongitude(), parsed.coordinate());
            } catch (ParseException | RuntimeException e) {
                // not a valid grid square after all: keep it as a place name
            }
        }
        if (trimmed.isEmpty() || trimmed.length() > PLACE_MAX) {
            return null;
        }
        var fields = new LinkedHashMap<String, String>();
        fields.put(name, trimmed);
        fields.put(name + ".kind", OTHER_GRID.matcher(trimmed).matches() ? "other-grid" : "place");
        return fields;
    }

    private static Map<String, String> coordinates(String name, String kind, double latitude, double longitude, String grid) {
        var fields = new LinkedHashMap<String, String>();
        var lat = String.format(Locale.ROOT, "%.5f", latitude);
        var lon = String.format(Locale.ROOT, "%.5f", longitude);
        fields.put(name, lat + ", " + lon + (grid == null ? "" : " (" + grid + ")"));
        fields.put(name + ".kind", kind);
        fields.put(name + ".lat", lat);
        fields.put(name + ".lon", lon);
        if (grid != null) {
            fields.put(name + ".mgrs", grid);
        }
        return fields;
    }

    /** The grid reference to the metre; none near the poles, where MGRS does not apply. */
    private static String mgrs(double latitude, double longitude) {
        try {
            return MGRS.from(Point.point(longitude, latitude)).coordinate(GridType.METER);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
