import { Passport } from "passport";
import { Strategy as LocalStrategy } from "passport-local";
import { burnVerificationTime, verifyPassword } from "../../auth/passwords.js";
import { User } from "../../models/index.js";

/**
 * One Passport per app (not the global singleton), so tests can build many apps side by side.
 * The session holds the user id only; each request reloads the user, so a disabled account or a
 * changed role takes effect on the very next request.
 */
export type PassportInstance = InstanceType<typeof Passport>;

export function createPassport(): PassportInstance {
  const passport = new Passport();
  passport.use(
    new LocalStrategy({ usernameField: "email", passwordField: "password", session: true }, (email, password, done) => {
      void (async () => {
        const user = await User.findOne({ where: { email: email.trim().toLowerCase() } });
        const valid = user?.passwordHash
          ? await verifyPassword(user.passwordHash, password)
          : await burnVerificationTime(password);
        done(null, valid && user ? user : false);
      })().catch((error: unknown) => done(error));
    }),
  );
  passport.serializeUser((user, done) => done(null, (user as User).id));
  passport.deserializeUser((id: string, done) => {
    User.findByPk(id)
      .then((user) => done(null, user && user.disabledAt === null ? user : false))
      .catch((error: unknown) => done(error));
  });
  return passport;
}
