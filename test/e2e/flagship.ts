/** The README's flagship request: a talent with resumes, skills, and applications with their job and company. */
export const FLAGSHIP = `query Flagship($first: Int) {
  talents(first: $first, orderBy: { field: NAME, direction: ASC }) {
    totalCount
    edges {
      node {
        name
        headline
        resumes {
          title
          version
          skills { level years skill { name category } }
          experience { title companyName company { name industry } }
        }
        applications(first: 5) {
          totalCount
          edges { node { stage job { title status company { name size } } } }
        }
      }
    }
  }
}`;
