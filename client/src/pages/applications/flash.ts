/** What the wizard tells the application page it leads to (router state), e.g. "just submitted". */
export interface ApplicationFlashState {
  applicationSubmitted?: boolean;
}
