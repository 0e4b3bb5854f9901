-- TPC-DS Q10 (Appendix B.10): demographic profiles of customers in five counties who bought in a
-- store and also on the web or by catalog within the same four months of a year.
-- @param YEAR 2002 ~ uniform(1999, 2002)
-- @param MONTH 1 ~ uniform(1, 4)
-- @param COUNTY ['Rush County', 'Toole County', 'Jefferson County', 'Dona Ana County', 'La Porte County'] ~ sample(vocab('counties'), 5)
select
    cd_gender,
    cd_marital_status,
    cd_education_status,
    count(*) as cnt1,
    cd_purchase_estimate,
    count(*) as cnt2,
    cd_credit_rating,
    count(*) as cnt3,
    cd_dep_count,
    count(*) as cnt4,
    cd_dep_employed_count,
    count(*) as cnt5,
    cd_dep_college_count,
    count(*) as cnt6
from customer c, customer_address, customer_demographics
where ca_address_sk = c.c_current_addr_sk
  and ca_county in (${COUNTY})
  and cd_demo_sk = c.c_current_cdemo_sk
  and exists (
        select 1
        from store_sales, date_dim
        where ss_customer_sk = c.c_customer_sk
          and d_date_sk = ss_sold_date_sk
          and d_year = ${YEAR}
          and d_moy between ${MONTH} and ${MONTH} + 3
    )
  and (
        exists (
            select 1
            from web_sales, date_dim
            where ws_bill_customer_sk = c.c_customer_sk
              and d_date_sk = ws_sold_date_sk
              and d_year = ${YEAR}
              and d_moy between ${MONTH} and ${MONTH} + 3
        )
        or exists (
            select 1
            from catalog_sales, date_dim
            where cs_ship_customer_sk = c.c_customer_sk
              and d_date_sk = cs_sold_date_sk
              and d_year = ${YEAR}
              and d_moy between ${MONTH} and ${MONTH} + 3
        )
    )
group by
    cd_gender,
    cd_marital_status,
    cd_education_status,
    cd_purchase_estimate,
    cd_credit_rating,
    cd_dep_count,
    cd_dep_employed_count,
    cd_dep_college_count
order by
    cd_gender,
    cd_marital_status,
    cd_education_status,
    cd_purchase_estimate,
    cd_credit_rating,
    cd_dep_count,
    cd_dep_employed_count,
    cd_dep_college_count
limit 100
