package dev.tenantprovisioner.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenantprovisioner.deploy.CloudFormationYaml.Tagged;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A tenant's start on an instance that already holds the image does not pull it again: the ECS agent is told to prefer
 * the cached image (ECS developer guide, agent configuration, {@code ECS_IMAGE_PULL_BEHAVIOR}).
 */
class ImagePullTemplateTest {

    @Test
    void givenTheContainerInstancesUserData_thenTheAgentPrefersTheCachedImage() throws Exception {
        SamTemplate template = SamTemplate.atRepositoryRoot();
        Map<String, Object> launch = SamTemplate.map(
                SamTemplate.map(template.resource("LaunchTemplate"), "Properties"), "LaunchTemplateData");
        String userData =
                String.valueOf(((Tagged) SamTemplate.map(launch, "UserData").get("Fn::Base64")).argument());

        assertThat(userData).contains("echo ECS_IMAGE_PULL_BEHAVIOR=prefer-cached >> /etc/ecs/ecs.config");
    }
}
