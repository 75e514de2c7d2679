package org.lifeline.campaigns;

/**
 * A campaign that cannot be created as given. {@code code} names the rule for the console's messages
 * ({@code console.campaigns.refused.<code>}); the message is English, for the command line.
 */
public class InvalidCampaign extends RuntimeException {

    private final String code;

    public InvalidCampaign(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
