package dev.nodeagent.agent.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MountTableTest {

    private static final List<String> MOUNTINFO = List.of(
            "26 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw",
            "27 26 0:25 / /run rw,nosuid,nodev shared:5 - tmpfs tmpfs rw,size=1608860k,mode=755",
            "28 27 0:26 / /run/node-agent rw shared:6 - ramfs ramfs rw",
            "29 26 0:27 / /srv/my\\040dir rw - tmpfs tmpfs rw",
            "30 26 0:28 / /running rw - ext4 /dev/vdb rw");

    @ParameterizedTest(name = "{0} is on {2} mounted at {1}")
    @CsvSource(delimiter = '|', textBlock = """
            /run/node-agent/certs.gen | /run/node-agent | ramfs
            /run/node-agent           | /run/node-agent | ramfs
            /run/user/1000            | /run            | tmpfs
            /running/x                | /running        | ext4
            /var/lib/node-agent       | /               | ext4
            /srv/my dir/certs         | /srv/my dir     | tmpfs
            """)
    void thePathBelongsToItsLongestCoveringMountPoint(String path, String mountPoint, String fsType) {
        assertEquals(new MountTable.Mount(mountPoint, fsType), MountTable.find(path, MOUNTINFO).orElseThrow());
    }
}
