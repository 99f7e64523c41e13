package io.lifeboat.stage.common.auth;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Answers {@link AccessRefusedException} with 403 and the reason, and tells the audit why. */
@RestControllerAdvice
public class AuthAdvice {

  @ExceptionHandler(AccessRefusedException.class)
  ResponseEntity<Map<String, Object>> refused(
      AccessRefusedException e, HttpServletRequest request) {
    request.setAttribute(AuthFilter.REASON, e.getMessage());
    request.setAttribute(AuthFilter.REQUIRED, e.required());
    return ResponseEntity.status(HttpStatus.FORBIDDEN)
        .body(
            AuthFilter.refusal(
                String.valueOf(e.getMessage()),
                e.operation(),
                e.required(),
                ApiAccess.actor(request)));
  }
}
