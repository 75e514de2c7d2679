/**
 * The public site: plain-words pages in every language, the signed list of official channels, the headers that
 * keep every response from leaking anything, and the static mirror kit. Pages are server-rendered, work without
 * JavaScript and link only relatively, so one server serves any mirror host name and a Tor onion unchanged.
 * Its layout template ({@code templates/site/layout.html}), message bundle ({@code site/messages_*.properties}),
 * {@link org.lifeline.site.SiteLanguage} and {@link org.lifeline.site.SiteLinks} are shared with the web chat pages.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = "platform")
package org.lifeline.site;
