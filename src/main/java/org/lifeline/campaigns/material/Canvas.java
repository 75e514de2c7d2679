package org.lifeline.campaigns.material;

/** Where a layout draws, in points or pixels from the top left: a Java2D image or a PDF page. */
interface Canvas {

    /** The advance width of one run at this size. */
    float width(Fonts.Run run, float size);

    /** Draws one run with its baseline at {@code baseline}. */
    void text(Fonts.Run run, float x, float baseline, float size);

    /** Fills a rectangle with black. */
    void dark(float x, float y, float width, float height);
}
