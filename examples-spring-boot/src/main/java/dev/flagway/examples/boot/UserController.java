package dev.flagway.examples.boot;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET} and {@code PUT /users/{id}/email}: the application's traffic. */
@RestController
public class UserController {
    private final UserRepository users;

    UserController(UserRepository users) {
        this.users = users;
    }

    @GetMapping("/users/{id}/email")
    ResponseEntity<String> email(@PathVariable long id) {
        String email = users.email(id);
        return email == null ? ResponseEntity.notFound().build() : ResponseEntity.ok(email);
    }

    @PutMapping("/users/{id}/email")
    ResponseEntity<Void> updateEmail(@PathVariable long id, @RequestBody String email) {
        users.updateEmail(id, email);
        return ResponseEntity.noContent().build();
    }
}
