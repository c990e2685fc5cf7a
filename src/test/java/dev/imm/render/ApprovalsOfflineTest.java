package dev.imm.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * ApprovalTests fetches helper scripts from the internet unless APPROVALTESTS_DISABLE_SCRIPT_DOWNLOADS=1;
 * tests reach only loopback, so the build sets it for the test JVM (pom.xml, Surefire). This fails if
 * that setting is lost.
 */
class ApprovalsOfflineTest {
    @Test
    void approvalTestsNeverDownloadScripts() {
        assertEquals("1", System.getenv("APPROVALTESTS_DISABLE_SCRIPT_DOWNLOADS"));
    }
}
