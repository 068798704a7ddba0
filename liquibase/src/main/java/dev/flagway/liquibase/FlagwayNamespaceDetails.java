package dev.flagway.liquibase;

import liquibase.parser.LiquibaseParser;
import liquibase.parser.NamespaceDetails;
import liquibase.parser.core.xml.XMLChangeLogSAXParser;
import liquibase.serializer.LiquibaseSerializer;
import liquibase.serializer.core.xml.XMLChangeLogSerializer;

/**
 * Flagway's XML namespace {@value #NAMESPACE} (prefix {@code fw}) and its schema {@value #XSD}, which
 * Liquibase finds on the class path (registered through {@code META-INF/services}).
 */
public final class FlagwayNamespaceDetails implements NamespaceDetails {
    /** The namespace of Flagway's change elements. */
    public static final String NAMESPACE = "http://flagway.dev/xml/ns/liquibase";
    /** The schema's location, resolved from the class path ({@code flagway.dev/xml/ns/flagway-liquibase-1.0.xsd}). */
    public static final String XSD = "http://flagway.dev/xml/ns/flagway-liquibase-1.0.xsd";

    /** Made by Liquibase's service loader. */
    public FlagwayNamespaceDetails() {
    }

    @Override
    public int getPriority() {
        return PRIORITY_EXTENSION;
    }

    @Override
    public boolean supports(LiquibaseSerializer serializer, String namespaceOrUrl) {
        return serializer instanceof XMLChangeLogSerializer && isOurs(namespaceOrUrl);
    }

    @Override
    public boolean supports(LiquibaseParser parser, String namespaceOrUrl) {
        return parser instanceof XMLChangeLogSAXParser && isOurs(namespaceOrUrl);
    }

    @Override
    public String getShortName(String namespaceOrUrl) {
        return "fw";
    }

    @Override
    public String getSchemaUrl(String namespaceOrUrl) {
        return XSD;
    }

    @Override
    public String[] getNamespaces() {
        return new String[] {NAMESPACE};
    }

    private static boolean isOurs(String namespaceOrUrl) {
        return NAMESPACE.equals(namespaceOrUrl) || XSD.equals(namespaceOrUrl);
    }
}
