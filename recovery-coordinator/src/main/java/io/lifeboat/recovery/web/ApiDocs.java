package io.lifeboat.recovery.web;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI description served at {@code /v3/api-docs} (and Swagger UI at {@code
 * /swagger-ui.html}) by springdoc, from the controllers themselves: every call that changes
 * something is marked as needing the API token.
 */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(
    info =
        @Info(
            title = "Lifeboat API",
            version = "1",
            description =
                "Backups, their verification and restore, recovery plans and executions, schedules,"
                    + " approvals, the audit trail, metrics and alerts. Reading is open; every call"
                    + " that changes something needs the API token (Authorization: Bearer TOKEN;"
                    + " lifeboat up keeps it in $LIFEBOAT_HOME/api-token). With"
                    + " lifeboat.auth.mode=roles every call needs a named token whose role"
                    + " (viewer, operator, admin) may make it; refusals answer 403 with the"
                    + " operation and the role it needs."))
@SecurityScheme(
    name = ApiDocs.TOKEN,
    type = SecuritySchemeType.HTTP,
    scheme = "bearer",
    description = "The API token")
public class ApiDocs {

  static final String TOKEN = "apiToken";

  @Bean
  OpenApiCustomizer lifeboatChangesNeedTheToken() {
    return api -> {
      if (api.getPaths() == null) {
        return;
      }
      api.getPaths()
          .values()
          .forEach(
              item ->
                  item.readOperationsMap()
                      .forEach(
                          (method, operation) -> {
                            if (method != PathItem.HttpMethod.GET
                                && (operation.getSecurity() == null
                                    || operation.getSecurity().isEmpty())) {
                              operation.addSecurityItem(new SecurityRequirement().addList(TOKEN));
                            }
                          }));
    };
  }
}
