-- TPC-DS Q13 (Appendix B.13): average quantity, sales price and wholesale cost, and total wholesale
-- cost, of 2001 store sales matching one of three demographic profiles (marital status, education,
-- dependants, price band) and one of three address profiles (states, net profit band).
-- @param MS1 'M' ~ choice(vocab('marital_status'))
-- @param MS2 'S' ~ choice(vocab('marital_status'))
-- @param MS3 'W' ~ choice(vocab('marital_status'))
-- @param ES1 'Advanced Degree' ~ choice(vocab('education'))
-- @param ES2 'College' ~ choice(vocab('education'))
-- @param ES3 '2 yr Degree' ~ choice(vocab('education'))
-- @param STATES1 ['TX', 'OH', 'TX'] ~ [choice(vocab('states')), choice(vocab('states')), choice(vocab('states'))]
-- @param STATES2 ['OR', 'NM', 'KY'] ~ [choice(vocab('states')), choice(vocab('states')), choice(vocab('states'))]
-- @param STATES3 ['VA', 'TX', 'MS'] ~ [choice(vocab('states')), choice(vocab('states')), choice(vocab('states'))]
select
    avg(ss_quantity) as avg_quantity,
    avg(ss_ext_sales_price) as avg_sales_price,
    avg(ss_ext_wholesale_cost) as avg_wholesale_cost,
    sum(ss_ext_wholesale_cost) as total_wholesale_cost
from store_sales, store, customer_demographics, household_demographics, customer_address, date_dim
where s_store_sk = ss_store_sk
  and d_date_sk = ss_sold_date_sk
  and d_year = 2001
  and hd_demo_sk = ss_hdemo_sk
  and cd_demo_sk = ss_cdemo_sk
  and ca_address_sk = ss_addr_sk
  and ca_country = 'United States'
  and (
        (cd_marital_status = '${MS1}'
         and cd_education_status = '${ES1}'
         and ss_sales_price between 100.00 and 150.00
         and hd_dep_count = 3)
        or (cd_marital_status = '${MS2}'
            and cd_education_status = '${ES2}'
            and ss_sales_price between 50.00 and 100.00
            and hd_dep_count = 1)
        or (cd_marital_status = '${MS3}'
            and cd_education_status = '${ES3}'
            and ss_sales_price between 150.00 and 200.00
            and hd_dep_count = 1)
    )
  and (
        (ca_state in (${STATES1}) and ss_net_profit between 100 and 200)
        or (ca_state in (${STATES2}) and ss_net_profit between 150 and 300)
        or (ca_state in (${STATES3}) and ss_net_profit between 50 and 250)
    )
