package dev.nodeagent.bundle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/** X.500 attribute values read with Bouncy Castle: the reference for, and the fallback of, {@link DerNames}. */
final class BcNames {

    private BcNames() {
    }

    /** @param oid the attribute type's DER contents octets */
    static List<String> values(byte[] nameDer, byte[] oid) {
        ASN1ObjectIdentifier type = ASN1ObjectIdentifier.fromContents(oid);
        X500Name name = X500Name.getInstance(nameDer);
        List<String> values = new ArrayList<>();
        for (RDN rdn : name.getRDNs(type)) {
            Arrays.stream(rdn.getTypesAndValues())
                    .filter(tv -> tv.getType().equals(type))
                    .forEach(tv -> values.add(IETFUtils.valueToString(tv.getValue())));
        }
        return values;
    }
}
