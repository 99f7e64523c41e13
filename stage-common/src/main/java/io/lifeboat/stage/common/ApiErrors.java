package io.lifeboat.stage.common;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * How every Lifeboat HTTP API answers a request it cannot take: a JSON body with an {@code error}
 * that says which parameter and what it must be (never a Java exception message, never the whole
 * value sent back), and a plain 404 for {@code GET /error} itself.
 */
public final class ApiErrors {

  private ApiErrors() {}

  /** The value quoted, cut at 80 characters (as io.lifeboat.model.Quoted does). */
  static String brief(String value) {
    return value.length() <= 80
        ? "'" + value + "'"
        : "'" + value.substring(0, 80) + "...' (" + value.length() + " characters)";
  }

  /** Parameters of the wrong type: {@code limit=abc}. */
  @RestControllerAdvice
  @Order(Ordered.LOWEST_PRECEDENCE)
  public static class BadParameters {

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Map<String, String>> wrongType(MethodArgumentTypeMismatchException e) {
      Class<?> type = e.getRequiredType();
      String expected =
          type == int.class || type == Integer.class || type == long.class || type == Long.class
              ? "a whole number"
              : type == null ? "another value" : "a " + type.getSimpleName();
      Object value = e.getValue();
      return ResponseEntity.badRequest()
          .body(
              Map.of(
                  "error",
                  "parameter "
                      + e.getName()
                      + " must be "
                      + expected
                      + ", got "
                      + brief(String.valueOf(value))));
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<Map<String, String>> missing(MissingServletRequestParameterException e) {
      return ResponseEntity.badRequest()
          .body(Map.of("error", "parameter " + e.getParameterName() + " is required"));
    }
  }

  /**
   * Spring's error page, as JSON and without details; a direct {@code GET /error} is not found
   * (Spring answers it 500).
   */
  @RestController
  public static class ErrorPage implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<Map<String, String>> error(HttpServletRequest request) {
      Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
      HttpStatus status =
          code instanceof Integer c
              ? HttpStatus.resolve(c) == null
                  ? HttpStatus.INTERNAL_SERVER_ERROR
                  : HttpStatus.valueOf(c)
              : HttpStatus.NOT_FOUND;
      return ResponseEntity.status(status)
          .body(Map.of("error", status.value() + " " + status.getReasonPhrase()));
    }
  }
}
