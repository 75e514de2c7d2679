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
 * {@code mgrs} or {@code place}) and, when coordinates are known, {@code name.lat}, {@code name.lon} and
 * {@code name.mgrs} (coordinators work with both); {@code name} itself holds a one-line summary.
 */
final class Locations {

    private static final String NUMBER = "([+-]?\\d{1,3}(?:[.,]\\d+)?)";
    /** {@code 48.0159, 37.8029}, {@code 48,0159 37,8029} or {@code 48.0159;37.8029}: decimal commas are common. */
    private static final Pattern DECIMAL = Pattern.compile(NUMBER + "\\s*(?:[;,]\\s*|\\s+)" + NUMBER);
    /** Zone, band, 100 km square and 1 to 5 digits each of easting and northing, spaces removed. */
    private static final Pattern GRID = Pattern.compile("\\d{1,2}[C-HJ-NP-X][A-HJ-NP-Z]{2}(\\d\\d){1,5}");
    static final int PLACE_MAX = 200;

    private Locations() {
    }

    static Map<String, String> shared(String name, double latitude, double longitude) {
        return coordinates(name, "shared", latitude, longitude, mgrs(latitude, longitude));
    }

    /** The fields for a typed answer, or null when it is not a usable location (empty or far too long). */
    static Map<String, String> typed(String name, String text) {
        var trimmed = text.strip();
        var decimal = DECIMAL.matcher(trimmed);
        if (decimal.matches()) {
            double latitude = Double.parseDouble(decimal.group(1).replace(',', '.'));
            double longitude = Double.parseDouble(decimal.group(2).replace(',', '.'));
            if (Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180) {
                return coordinates(name, "decimal", latitude, longitude, mgrs(latitude, longitude));
            }
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
        fields.put(name + ".kind", "place");
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
