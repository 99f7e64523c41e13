package io.lifeboat.stage.common.auth;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/** Authentication and roles for a service's API: imported by the coordinator and the catalog. */
@Configuration(proxyBeanMethods = false)
@Import(AuthAdvice.class)
public class AuthConfiguration {

  @Bean
  ApiAccess apiAccess(Environment env) {
    return ApiAccess.from(env);
  }

  @Bean
  AuthFilter authFilter(ApiAccess access, ObjectProvider<AuditSink> audit) {
    return new AuthFilter(access, audit);
  }
}
