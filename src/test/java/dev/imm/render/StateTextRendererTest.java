package dev.imm.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.imm.state.RecordedState;
import dev.imm.state.Revision;
import dev.imm.state.TestStates;
import java.util.List;
import org.junit.jupiter.api.Test;

class StateTextRendererTest {
    private static final Revision REVISION = new Revision("4abd6a0f00d1c2b3a4958677e8f9a0b1c2d3e4f5", 7);

    @Test
    void showsRevisionOutputsImagesWithTheirVersionsAndFleets() {
        RecordedState state = TestStates.state(7, List.of(TestStates.image("app", "ami-1", "ami-2")),
                List.of(TestStates.fleet("web", "ami-2", 3)));
        assertEquals(String.join("\n",
                "Revision 4abd6a0 (serial 7)",
                "Lineage  " + TestStates.LINEAGE,
                "",
                "Outputs:",
                "  url = http://web.example",
                "",
                "image.app",
                "  ami-1  bake sha256:app0   baked 2023-11-14 22:13:20 UTC",
                "  ami-2  bake sha256:app1   baked 2023-11-14 22:13:20 UTC  (current)",
                "",
                "fleet.web",
                "  fleet_id        = asg-web",
                "  image           = image.app",
                "  bake_hash       = sha256:app0",
                "  image_id        = ami-2",
                "  instance_type   = t3.micro",
                "  user_data       = e3b0c442",
                "  subnets         = [subnet-a, subnet-b]",
                "  security_groups = [sg-1]",
                "  iam_profile     = (none)",
                "  min             = 1",
                "  desired         = 3",
                "  max             = 4",
                "  target_groups   = (none)",
                "  tags            = {team=web}",
                "  rollout         = (default)",
                ""), StateTextRenderer.render(REVISION, state));
    }

    @Test
    void anEmptyStateSaysSo() {
        String text = StateTextRenderer.render(REVISION, RecordedState.empty("l-1"));
        assertEquals("Revision 4abd6a0 (serial 0)\nLineage  l-1\n\nNo images or fleets are recorded.\n", text);
    }
}
