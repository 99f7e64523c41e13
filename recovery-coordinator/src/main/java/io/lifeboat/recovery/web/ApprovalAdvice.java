package io.lifeboat.recovery.web;

import io.lifeboat.stage.common.auth.AuthFilter;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Answers a change held for approval: 202 with its request id, audited PENDING_APPROVAL. */
@RestControllerAdvice
public class ApprovalAdvice {

  @ExceptionHandler(HeldForApprovalException.class)
  ResponseEntity<Map<String, Object>> held(HeldForApprovalException e, HttpServletRequest request) {
    request.setAttribute(AuthFilter.OUTCOME, "PENDING_APPROVAL");
    request.setAttribute(AuthFilter.DETAILS, Map.of("requestId", e.requestId()));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("requestId", e.requestId());
    body.put("status", "PENDING_APPROVAL");
    body.put("action", e.action());
    body.put("expiresAt", e.expiresAt().toString());
    body.put("message", e.getMessage());
    return ResponseEntity.status(HttpStatus.ACCEPTED).body(body);
  }
}
